/** The colours every picture uses, so the formats agree on what red and orange mean. */
export const colors = {
  /** Loops, the lint's errors. */
  loop: '#dc2626',
  /** Dead ends and owners that depend on the entry node, the lint's warnings. */
  warn: '#d97706',
  warnFill: '#fff7ed',
  noteFill: '#fffbeb',
  forward: '#475569',
  node: '#1e293b',
  nodeFill: '#f8fafc',
} as const;
