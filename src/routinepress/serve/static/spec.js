// routinepress editor, part 1 of 3: the spec being edited (plain JSON, as saved), the paths
// into it, and one labelled input per path. Every input names the JSON path it edits
// (data-path), so a diagnostic from the server lands at the field its path names.
"use strict";

const PREVIEW_DELAY_MS = 700;
const LABELS = {
  title: "Title", subtitle: "Subtitle", date: "Date", template: "Template", page_size: "Page size",
  "patient.name": "Patient", language: "Language", intro: "Opening text", notes: "Closing notes",
  conditions: "Conditions", pain_rule: "Pain rule",
  sets: "Sets", reps: "Reps", hold_seconds: "Hold (seconds)", rest_seconds: "Rest (seconds)",
  duration_seconds: "Time (seconds)", side: "Side", load: "Load", unit: "Counted in",
  days_per_week: "Days a week", times_per_day: "Times a day", as_needed: "Only when needed",
  weeks: "Weeks to track", start_date: "First day", pain_score: "Pain score row (0-10)",
};

const state = {
  doc: null, name: "", schemas: null, catalog: [], byId: {}, filters: {}, target: 0,
  dirty: false, edits: 0, saving: false, version: null, diagnostics: [], warnings: [], keptLines: new WeakMap(), previewSeq: 0, timer: null, token: sessionStorage.getItem("routinepress-token") || "",
};

// ---- small helpers -------------------------------------------------------------------------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}
const $ = (sel) => document.querySelector(sel);
const pathText = (parts) => "$" + parts.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
const fieldId = (parts) => "f" + pathText(parts).replace(/[^A-Za-z0-9]+/g, "-");

const partsOf = (path) => [...path.matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));

function getAt(obj, parts) {
  for (const p of parts) { if (obj === null || typeof obj !== "object") return undefined; obj = obj[p]; }
  return obj;
}

// Sets a value at a path, creating objects on the way; undefined deletes it and prunes
// what became empty. An exercise given as a bare id becomes {"ref": id} when edited, and
// goes back to the bare id when nothing else is left on it.
function setAt(parts, value) {
  const exerciseAt = parts.indexOf("exercises");
  if (exerciseAt >= 0 && parts.length > exerciseAt + 2) {
    const entryPath = parts.slice(0, exerciseAt + 2);
    const entry = getAt(state.doc, entryPath);
    if (typeof entry === "string") putAt(entryPath, { ref: entry });
  }
  putAt(parts, value);
  if (value === undefined) prune(parts.slice(0, -1));
  if (exerciseAt >= 0) {
    const entryPath = parts.slice(0, exerciseAt + 2);
    const entry = getAt(state.doc, entryPath);
    if (entry && typeof entry === "object" && Object.keys(entry).length === 1 && entry.ref) putAt(entryPath, entry.ref);
  }
  if (parts.includes("frequency")) refreshFrequencyHints();
  if (["conditions", "pain_rule", "load"].some((key) => parts.includes(key))) refreshCatalogLines();
  changed();
}
function putAt(parts, value) {
  let obj = state.doc;
  parts.slice(0, -1).forEach((p, i) => {
    if (obj[p] === undefined || obj[p] === null || typeof obj[p] !== "object") obj[p] = typeof parts[i + 1] === "number" ? [] : {};
    obj = obj[p];
  });
  const last = parts[parts.length - 1];
  if (value === undefined) { if (Array.isArray(obj)) obj.splice(last, 1); else delete obj[last]; } else obj[last] = value;
}
function prune(parts) {
  while (parts.length) {
    const v = getAt(state.doc, parts);
    const keep = ["sections", "exercises", "patient", "stop_if"];
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0
        && typeof parts[parts.length - 1] === "string" && !keep.includes(parts[parts.length - 1])) {
      putAt(parts, undefined); parts = parts.slice(0, -1);
    } else return;
  }
}

// Text typed into a field -> the JSON value. Something that is not a number stays text,
// so the server's diagnostic ("expected a whole number") says what is wrong, at this field.
// "none" in a dose's box is null: it drops the catalog's value (no count for a timed exercise).
const isNone = (s) => s.trim().toLowerCase() === "none";
const PARSE = {
  text: (s) => (s.trim() === "" ? undefined : s),
  int: (s) => (s.trim() === "" ? undefined : /^\s*\d+\s*$/.test(s) ? Number(s) : s.trim()),
  number: (s) => (s.trim() === "" ? undefined : /^\s*\d+(\.\d+)?\s*$/.test(s) ? Number(s) : s.trim()),
  reps: (s) => {
    if (s.trim() === "") return undefined;
    if (/^\s*\d+\s*$/.test(s)) return Number(s);
    const m = s.match(/^\s*(\d+)\s*(?:-|–|to)\s*(\d+)\s*$/);
    return m ? { min: Number(m[1]), max: Number(m[2]) } : s.trim();
  },
};
const HINTS = {
  int: "Type a whole number.", number: "Type a number.", reps: "Type a number, or a range such as 8-12.",
};
const SHOW = {
  reps: (v) => (v && typeof v === "object" ? `${v.min}-${v.max}` : v),
};
function describeDefault(key, value) {
  if (value === undefined || value === null) return "";
  return String(SHOW[key] ? SHOW[key](value) : value);
}

function schemaProp(...parts) {
  let s = state.schemas.routine;
  for (const p of parts) s = s && s.properties && s.properties[p];
  return s || {};
}
// The schema's own description of the value at a path: the editor's help text and tooltips.
function describePath(parts) {
  const routine = state.schemas.routine, exercise = state.schemas.exercise;
  const resolve = (node) => {
    if (!node || !node.$ref) return node;
    const [file, pointer] = node.$ref.split("#");
    const root = file ? exercise : routine;
    return (pointer || "").split("/").filter(Boolean).reduce((n, k) => n && n[k], root);
  };
  let node = routine;
  for (const p of parts) {
    node = resolve(node);
    if (!node) return "";
    if (typeof p === "number") node = node.items || (node.oneOf && node.oneOf.find((v) => v.type === "object"));
    else if (node.properties && node.properties[p]) node = node.properties[p];
    else if (node.oneOf) node = (node.oneOf.find((v) => v.properties && v.properties[p]) || {}).properties?.[p];
    else return "";
  }
  return (node && node.description) || (resolve(node) || {}).description || "";
}
function dosageProp(key) {
  const d = state.schemas.exercise.$defs;
  return (d.dosage.properties[key]) || (d.frequency.properties[key]) || {};
}

// ---- fields ----------------------------------------------------------------------------
// One labelled input bound to a JSON path. kind: text | int | number | reps | date | select | textarea | checkbox | flag
function field(parts, opts = {}) {
  const id = fieldId(parts);
  const key = parts[parts.length - 1];
  const label = opts.label || LABELS[key] || key;
  const value = getAt(state.doc, parts);
  const kind = opts.kind || "text";
  const described = describePath(parts);
  const help = opts.help === true ? described : opts.help;
  const attrs = { id, "data-path": pathText(parts), "aria-describedby": `${id}-error${help ? ` ${id}-help` : ""}`,
                  "data-hint": HINTS[kind] };
  let input;
  if (kind === "select") {
    input = h("select", attrs, (opts.options || []).map(([v, t]) => h("option", { value: v, selected: String(value ?? "") === v }, t)));
    input.addEventListener("change", () => setAt(parts, input.value === "" ? undefined : input.value));
  } else if (kind === "checkbox") {  // on unless the spec says false
    input = h("input", { ...attrs, type: "checkbox", checked: value !== false });
    input.addEventListener("change", () => setAt(parts, input.checked ? undefined : false));
  } else if (kind === "flag") {  // off unless the spec says true
    input = h("input", { ...attrs, type: "checkbox", checked: value === true });
    input.addEventListener("change", () => setAt(parts, input.checked ? true : undefined));
  } else if (kind === "textarea") {
    input = h("textarea", { ...attrs, rows: opts.rows || 3 });
    input.value = value ?? "";
    input.addEventListener("input", () => setAt(parts, PARSE.text(input.value)));
  } else {
    const numeric = ["int", "number", "reps"].includes(kind);
    // null in the spec removes the catalog's value ("hold_seconds": null: no hold)
    const placeholder = value === null ? "none" : opts.placeholder;
    input = h("input", { ...attrs, type: kind === "date" ? "date" : "text", inputmode: numeric ? (kind === "number" ? "decimal" : "numeric") : null,
                         placeholder, autocomplete: "off", spellcheck: numeric ? "false" : null });
    input.value = value === undefined || value === null ? "" : describeDefault(key, value);
    const parse = PARSE[kind] || PARSE.text;
    // an item of a list keeps its place while it is empty (deleting it would shift the others)
    const nullable = numeric && parts.includes("dosage");
    const read = typeof key === "number" ? (text) => text : (text) => (nullable && isNone(text) ? null : parse(text));
    input.addEventListener("input", () => setAt(parts, read(input.value)));
  }
  const wrap = h("div", { class: `field${kind === "checkbox" || kind === "flag" ? " check" : ""}${opts.full ? " full" : ""}` });
  if (described) input.title = described;
  if (kind === "checkbox" || kind === "flag") wrap.append(input, h("label", { for: id, text: label }));
  else wrap.append(h("label", { for: id, text: label }), input);
  if (help) wrap.append(h("p", { class: "help", id: `${id}-help`, text: help }));
  wrap.append(h("p", { class: "error", id: `${id}-error` }));
  return wrap;
}

function enumOptions(schema, blank) {
  return [["", blank], ...(schema.enum || []).map((v) => [v, v])];
}
