export interface Query {
  source: string;
}
