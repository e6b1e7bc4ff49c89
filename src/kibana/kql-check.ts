/**
 * A conservative syntax check of the rule's KQL before anything is created. Kibana accepts any string as a
 * rule query and fails only when the rule runs, so a typo would otherwise surface minutes later as a failed
 * rule. Only mistakes that are errors in every KQL parser are caught (unbalanced quotes or parentheses, a
 * dangling operator or colon); anything else is left to Kibana.
 */

export function kqlSyntaxProblem(query: string): string | undefined {
  let depth = 0;
  let inQuote = false;
  const outside: string[] = [];
  for (let i = 0; i < query.length; i++) {
    const ch = query[i]!;
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === '"') {
      // A quoted phrase is a value: keep a stand-in for it, so `process.name:"cmd.exe"` has a value after ':'.
      if (!inQuote) outside.push(" v ");
      inQuote = !inQuote;
      continue;
    }
    if (inQuote) continue;
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0) return `a ')' at position ${i + 1} closes nothing`;
    outside.push(ch);
  }
  if (inQuote) return "a double quote is not closed";
  if (depth > 0) return `${depth} '(' not closed`;
  const text = outside.join("").trim();
  if (!text) return query.trim() ? undefined : "the query is empty";
  if (/^(and|or)\b/i.test(text)) return "it starts with an operator (and/or)";
  if (/\b(and|or|not)$/i.test(text)) return "it ends with an operator (and/or/not)";
  if (/:\s*($|\))/.test(text)) return "a field has ':' but no value";
  return undefined;
}
