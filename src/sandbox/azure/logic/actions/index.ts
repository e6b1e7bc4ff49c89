/** Action types the runtime executes, by lower-cased type (Logic Apps action types are case-insensitive). */
import type { Executor } from "../scheduler.js";
import { apiConnection } from "./api-connection.js";
import { ifAction, scope, switchAction, terminate } from "./control.js";
import { compose, parseJson, query, select } from "./data.js";
import { http } from "./http.js";
import { foreach, until } from "./loops.js";
import { response } from "./response.js";
import {
  appendToArrayVariable,
  appendToStringVariable,
  decrementVariable,
  incrementVariable,
  initializeVariable,
  setVariable,
} from "./variables.js";

export const EXECUTORS: Readonly<Record<string, Executor>> = {
  compose,
  select,
  query,
  parsejson: parseJson,
  initializevariable: initializeVariable,
  setvariable: setVariable,
  appendtoarrayvariable: appendToArrayVariable,
  appendtostringvariable: appendToStringVariable,
  incrementvariable: incrementVariable,
  decrementvariable: decrementVariable,
  scope,
  if: ifAction,
  switch: switchAction,
  foreach,
  until,
  terminate,
  response,
  http,
  apiconnection: apiConnection,
};

export function executorFor(type: string): Executor | undefined {
  const key = String(type).toLowerCase();
  return Object.hasOwn(EXECUTORS, key) ? EXECUTORS[key] : undefined;
}
