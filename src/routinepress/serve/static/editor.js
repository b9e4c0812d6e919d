// routinepress editor: edits one routine spec (plain JSON) in the browser, and asks the server
// for a preview a moment after each edit. Every input names the JSON path it edits
// (data-path), so a diagnostic from the server lands at the field its path names.
"use strict";

const PREVIEW_DELAY_MS = 700;
const LABELS = {
  title: "Title", subtitle: "Subtitle", date: "Date", template: "Template", page_size: "Page size",
  "patient.name": "Patient", language: "Language", intro: "Opening text", notes: "Closing notes",
  conditions: "Conditions", pain_rule: "Pain rule",
  sets: "Sets", reps: "Reps", hold_seconds: "Hold (seconds)", rest_seconds: "Rest (seconds)",
  duration_seconds: "Time (seconds)", side: "Side", load: "Load", unit: "Counted in",
  days_per_week: "Days a week", times_per_day: "Times a day",
  weeks: "Weeks to track", start_date: "First day", pain_score: "Pain score row (0-10)",
};

const state = {
  doc: null, name: "", schemas: null, catalog: [], byId: {}, filters: {}, target: 0,
  dirty: false, diagnostics: [], previewSeq: 0, timer: null, token: sessionStorage.getItem("routinepress-token") || "",
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
function dosageProp(key) {
  const d = state.schemas.exercise.$defs;
  return (d.dosage.properties[key]) || (d.frequency.properties[key]) || {};
}

// ---- fields ----------------------------------------------------------------------------
// One labelled input bound to a JSON path. kind: text | int | number | reps | date | select | textarea | checkbox
function field(parts, opts = {}) {
  const id = fieldId(parts);
  const key = parts[parts.length - 1];
  const label = opts.label || LABELS[key] || key;
  const value = getAt(state.doc, parts);
  const kind = opts.kind || "text";
  const help = opts.help;
  const attrs = { id, "data-path": pathText(parts), "aria-describedby": `${id}-error${help ? ` ${id}-help` : ""}`,
                  "data-hint": HINTS[kind] };
  let input;
  if (kind === "select") {
    input = h("select", attrs, (opts.options || []).map(([v, t]) => h("option", { value: v, selected: String(value ?? "") === v }, t)));
    input.addEventListener("change", () => setAt(parts, input.value === "" ? undefined : input.value));
  } else if (kind === "checkbox") {
    input = h("input", { ...attrs, type: "checkbox", checked: value !== false });
    input.addEventListener("change", () => setAt(parts, input.checked ? undefined : false));
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
    const read = typeof key === "number" ? (text) => text : parse;
    input.addEventListener("input", () => setAt(parts, read(input.value)));
  }
  const wrap = h("div", { class: `field${kind === "checkbox" ? " check" : ""}${opts.full ? " full" : ""}` });
  if (kind === "checkbox") wrap.append(input, h("label", { for: id, text: label }));
  else wrap.append(h("label", { for: id, text: label }), input);
  if (help) wrap.append(h("p", { class: "help", id: `${id}-help`, text: help }));
  wrap.append(h("p", { class: "error", id: `${id}-error` }));
  return wrap;
}

function enumOptions(schema, blank) {
  return [["", blank], ...(schema.enum || []).map((v) => [v, v])];
}

// ---- the form --------------------------------------------------------------------------
function render() {
  const form = $("#editor");
  const focused = document.activeElement && document.activeElement.id;
  const scroll = form.scrollTop;
  form.replaceChildren(routinePanel(), pickerPanel(), sectionsPanel(), stopIfPanel(), trackerPanel(), notesPanel());
  fillResults();
  showDiagnostics();
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus({ preventScroll: true });
  form.scrollTop = scroll;
}

function routinePanel() {
  const d = state.schemas.routine;
  const templates = [["", "standard (default)"], ...state.schemas.templates.filter((t) => t !== "standard").map((t) => [t, t])];
  const fields = [
    field(["title"], { full: true, help: schemaProp("title").description }),
    field(["subtitle"], { full: true }),
    field(["patient", "name"], { label: LABELS["patient.name"] }),
    field(["date"], { kind: "date" }),
    field(["template"], { kind: "select", options: templates }),
    field(["page_size"], { kind: "select", options: enumOptions(schemaProp("page_size"), "from the template") }),
  ];
  if (d.properties.conditions) fields.push(conditionsField());
  if (d.properties.pain_rule) fields.push(painRuleField());
  return h("section", { class: "panel", "aria-labelledby": "h-routine" }, h("h2", { id: "h-routine", text: "Routine" }),
           h("div", { class: "grid wide" }, fields));
}

// conditions: checkboxes when the schema lists the ids, else a comma-separated list.
function conditionsField() {
  const schema = schemaProp("conditions");
  const known = state.schemas.conditions || [];
  const ids = known.length ? known.map((c) => c.id) : (schema.items && schema.items.enum) || null;
  const labelOf = (c) => (known.find((k) => k.id === c) || {}).text || c;
  const current = getAt(state.doc, ["conditions"]) || [];
  const id = fieldId(["conditions"]);
  if (!ids) {
    const wrap = field(["conditions"], { full: true, help: "Condition ids, separated by commas (e.g. postpartum)." });
    const input = wrap.querySelector("input");
    input.value = current.join(", ");
    input.replaceWith(input.cloneNode(true));
    const fresh = wrap.querySelector("input");
    fresh.addEventListener("input", () => {
      const list = fresh.value.split(",").map((s) => s.trim()).filter(Boolean);
      setAt(["conditions"], list.length ? list : undefined);
    });
    return wrap;
  }
  const boxes = ids.map((c, i) => {
    const box = h("input", { type: "checkbox", id: `${id}-${i}`, checked: current.includes(c) });
    box.addEventListener("change", () => {
      const now = new Set(getAt(state.doc, ["conditions"]) || []);
      if (box.checked) now.add(c); else now.delete(c);
      setAt(["conditions"], now.size ? ids.filter((x) => now.has(x)) : undefined);
    });
    return h("span", { class: "field check" }, box, h("label", { for: `${id}-${i}`, text: labelOf(c) }));
  });
  return h("fieldset", { class: "field full", "data-path": "$.conditions", "aria-describedby": `${id}-error` },
           h("legend", { class: "label", text: LABELS.conditions }), boxes, h("p", { class: "error", id: `${id}-error` }));
}

// pain_rule: a built-in rule's name, or {"text": "the clinician's own words"}.
function painRuleField() {
  const schema = schemaProp("pain_rule");
  const variants = schema.oneOf || schema.anyOf || [schema];
  const rules = state.schemas.pain_rules || [];
  const names = rules.length ? rules.map((r) => r.id) : variants.flatMap((v) => v.enum || (v.const ? [v.const] : []));
  const textOf = (n) => { const r = rules.find((x) => x.id === n); return r ? r.text : n; };
  const value = getAt(state.doc, ["pain_rule"]);
  const own = value && typeof value === "object";
  const id = fieldId(["pain_rule"]);
  const select = h("select", { id, "data-path": "$.pain_rule", "aria-describedby": `${id}-error` },
    h("option", { value: "", text: "none" }),
    names.map((n) => h("option", { value: n, selected: value === n, text: textOf(n), title: textOf(n) })),
    h("option", { value: "__own", selected: own, text: "in my own words" }));
  const text = h("textarea", { id: `${id}-text`, "data-path": "$.pain_rule.text", rows: 2, hidden: !own, "aria-label": "Pain rule, own words" });
  text.value = own ? value.text || "" : "";
  select.addEventListener("change", () => {
    text.hidden = select.value !== "__own";
    setAt(["pain_rule"], select.value === "" ? undefined : select.value === "__own" ? { text: text.value } : select.value);
  });
  text.addEventListener("input", () => setAt(["pain_rule"], { text: text.value }));
  return h("div", { class: "field full" }, h("label", { for: id, text: LABELS.pain_rule }), select, text,
           h("p", { class: "help", text: "Printed on page 1; generic \u201cstop if it hurts\u201d lines give way to it." }),
           h("p", { class: "error", id: `${id}-error` }));
}

function sectionsPanel() {
  const sections = state.doc.sections;
  return h("section", { class: "panel", "aria-labelledby": "h-sections" },
    h("h2", { id: "h-sections", text: "Exercises" }),
    sections.map((section, s) => sectionBlock(section, s)),
    h("button", { type: "button", onclick: () => {
      sections.push({ title: `Part ${sections.length + 1}`, exercises: [] });
      state.target = sections.length - 1; changed(); render();
      document.getElementById(fieldId(["sections", state.target, "title"])).focus();
    } }, "Add a section"));
}

function sectionBlock(section, s) {
  const parts = ["sections", s];
  const remove = state.doc.sections.length > 1
    ? h("button", { type: "button", class: "small", "aria-label": `Remove section ${section.title || s + 1}`,
                    onclick: () => { state.doc.sections.splice(s, 1); state.target = 0; changed(); render(); } }, "Remove section")
    : null;
  const list = h("div", { "data-path": pathText([...parts, "exercises"]), id: fieldId([...parts, "exercises"]), tabindex: "-1" },
    section.exercises.map((entry, e) => exerciseCard(entry, s, e)),
    h("p", { class: "error", id: `${fieldId([...parts, "exercises"])}-error` }));
  return h("div", { class: "section", "data-path": pathText(parts) },
    h("div", { class: "section-head" }, field([...parts, "title"], { label: "Section title" }),
      field([...parts, "frequency", "days_per_week"], { kind: "int", label: "Days a week" }),
      field([...parts, "frequency", "times_per_day"], { kind: "int", label: "Times a day" }), remove),
    list,
    h("button", { type: "button", class: "small", onclick: () => { state.target = s; render(); $("#search").focus(); } },
      `Add exercises to “${section.title || "this section"}”`));
}

function exerciseCard(entry, s, e) {
  const parts = ["sections", s, "exercises", e];
  const ref = typeof entry === "string" ? entry : entry.ref;
  const info = state.byId[ref];
  const defaults = (info && info.default_dosage) || {};
  const freq = (info && info.default_frequency) || {};
  const custom = typeof entry === "object" && entry.custom;
  const name = (typeof entry === "object" && entry.name) || (info ? info.name : custom ? custom.name || "Own exercise" : ref);
  const count = state.doc.sections[s].exercises.length;
  const move = (to) => {
    const list = state.doc.sections[s].exercises;
    list.splice(to, 0, list.splice(e, 1)[0]); changed(); render();
    // keep the keyboard on the moved exercise: the same arrow again, or the other one at the end of the list
    const base = fieldId(["sections", s, "exercises", to]);
    const same = document.getElementById(`${base}-${to > e ? "down" : "up"}`);
    (same && !same.disabled ? same : document.getElementById(`${base}-${to > e ? "up" : "down"}`)).focus();
  };
  const id = fieldId(parts);
  const dose = (key, kind) => field([...parts, "dosage", key], { kind, placeholder: describeDefault(key, defaults[key]),
                                                                  label: LABELS[key] });
  const sideSchema = dosageProp("side");
  const thumb = info && info.pictures.length
    ? h("img", { class: "thumb", src: info.pictures[info.pictures.length > 1 ? 1 : 0].url, alt: "", width: 96, height: 62 }) : null;
  return h("article", { class: "exercise", "data-path": pathText(parts), id, tabindex: "-1", "aria-labelledby": `${id}-name` },
    h("header", {}, thumb,
      h("div", { class: "title" }, h("h3", { id: `${id}-name`, text: `${e + 1}. ${name}` }), h("div", { class: "id", text: ref || "" })),
      h("div", { class: "tools" },
        h("button", { type: "button", class: "small", id: `${id}-up`, disabled: e === 0, "aria-label": `Move ${name} up`, onclick: () => move(e - 1) }, "↑"),
        h("button", { type: "button", class: "small", id: `${id}-down`, disabled: e === count - 1, "aria-label": `Move ${name} down`, onclick: () => move(e + 1) }, "↓"),
        h("button", { type: "button", class: "small", id: `${id}-remove`, "aria-label": `Remove ${name}`, onclick: () => {
          state.doc.sections[s].exercises.splice(e, 1); changed(); render(); $("#search").focus();
        } }, "Remove"))),
    h("p", { class: "error", id: `${id}-error` }),
    h("div", { class: "grid" },
      dose("sets", "int"), dose("reps", "reps"), dose("hold_seconds", "number"), dose("rest_seconds", "number"),
      field([...parts, "dosage", "side"], { kind: "select", label: LABELS.side,
        options: enumOptions(sideSchema, defaults.side ? `${defaults.side} (default)` : "not said") }),
      dose("load", "text"),
      field([...parts, "frequency", "days_per_week"], { kind: "int", placeholder: freq.days_per_week ?? "", label: LABELS.days_per_week }),
      field([...parts, "frequency", "times_per_day"], { kind: "int", placeholder: freq.times_per_day ?? "", label: LABELS.times_per_day }),
      field([...parts, "notes"], { kind: "textarea", label: "Notes for this patient", full: true, rows: 2 }),
      entryHas("video_url") ? field([...parts, "video_url"], { label: "Video link (printed as a QR code)", full: true,
                                                              placeholder: (info && info.video_url) || "a web address" }) : null));
}

// a field an exercise entry may carry, by the routine schema
function entryHas(key) {
  const entry = state.schemas.routine.$defs.exercise_entry;
  return (entry.oneOf || []).some((v) => v.properties && v.properties[key]);
}

function pickerPanel() {
  const sections = state.doc.sections;
  const filter = (key, label, values) => {
    const sel = h("select", { id: `filter-${key}`, "aria-label": label },
      h("option", { value: "", text: `Any ${label.toLowerCase()}` }), values.map((v) => h("option", { value: v, selected: state.filters[key] === v, text: v })));
    sel.addEventListener("change", () => { state.filters[key] = sel.value; fillResults(); });
    return sel;
  };
  const search = h("input", { id: "search", type: "search", placeholder: "Search the catalog (typos are fine)", autocomplete: "off",
                              "aria-label": "Search the catalog", "aria-controls": "results" });
  search.value = state.filters.q || "";
  search.addEventListener("input", () => { state.filters.q = search.value; fillResults(); });
  const target = h("select", { id: "target", "aria-label": "Add to section" },
    sections.map((sec, i) => h("option", { value: String(i), selected: i === state.target, text: sec.title || `Section ${i + 1}` })));
  target.addEventListener("change", () => { state.target = Number(target.value); });
  const f = state.catalogFilters || { kinds: [], regions: [], equipment: [] };
  return h("section", { class: "panel picker", "aria-labelledby": "h-picker" },
    h("h2", { id: "h-picker", text: "Add from the catalog" }),
    h("div", { class: "filters" }, search, filter("kind", "Kind", f.kinds), filter("region", "Region", f.regions),
      filter("equipment", "Equipment", f.equipment)),
    h("div", { class: "target" }, h("label", { for: "target", text: "Add to section" }), target),
    h("ul", { id: "results", class: "results", "aria-label": "Catalog exercises" }));
}

let searchSeq = 0;
async function fillResults() {
  const list = $("#results");
  if (!list) return;
  const q = new URLSearchParams();
  for (const k of ["q", "kind", "region", "equipment"]) if (state.filters[k]) q.set(k, state.filters[k]);
  const seq = ++searchSeq;
  const res = await api(`/api/catalog?${q}`);
  if (seq !== searchSeq || !res.ok) return;
  const data = await res.json();
  const items = data.exercises.map((ex) => h("li", {},
    h("span", { class: "thumbs" }, ex.pictures.slice(0, 3).map((p) =>
      h("img", { class: "thumb small", src: p.url, alt: p.caption || "", title: p.caption || null, width: 72, height: 47, loading: "lazy" }))),
    h("div", { class: "what" }, h("strong", { text: ex.name }), h("small", { text: `${ex.kind} · ${ex.body_regions.join(", ")}${ex.equipment.length ? " · " + ex.equipment.join(", ") : ""}` })),
    h("button", { type: "button", class: "small", "aria-label": `Add ${ex.name}`, "data-id": ex.id, onclick: () => addExercise(ex.id) }, "Add")));
  $("#results").replaceChildren(...(items.length ? items : [h("li", { class: "none", text: "No exercise matches." })]));
}

function addExercise(id) {
  const s = Math.min(state.target, state.doc.sections.length - 1);
  state.doc.sections[s].exercises.push(id);
  changed(); render();
  status(`Added ${state.byId[id] ? state.byId[id].name : id}.`);
}

function stopIfPanel() {
  const lines = state.doc.stop_if || [];
  return h("section", { class: "panel", "aria-labelledby": "h-stop" },
    h("h2", { id: "h-stop", text: "Stop and call the clinic if" }),
    h("p", { class: "help", text: schemaProp("stop_if").description }),
    lines.map((_, k) => h("div", { class: "list-row" },
      field(["stop_if", k], { label: `Line ${k + 1}` }),
      h("button", { type: "button", class: "small", "aria-label": `Remove stop-if line ${k + 1}`, onclick: () => {
        lines.splice(k, 1); if (!lines.length) delete state.doc.stop_if; changed(); render();
      } }, "Remove"))),
    h("button", { type: "button", class: "small", onclick: () => {
      state.doc.stop_if = [...lines, ""]; render();
      document.getElementById(fieldId(["stop_if", lines.length])).focus();
    } }, "Add a stop-if line"));
}

function trackerPanel() {
  return h("section", { class: "panel", "aria-labelledby": "h-tracker" }, h("h2", { id: "h-tracker", text: "Tracker" }),
    h("div", { class: "grid" },
      field(["tracker", "weeks"], { kind: "int", placeholder: "2" }),
      field(["tracker", "start_date"], { kind: "date" }),
      field(["tracker", "pain_score"], { kind: "checkbox" })));
}

function notesPanel() {
  return h("section", { class: "panel", "aria-labelledby": "h-notes" }, h("h2", { id: "h-notes", text: "Text" }),
    h("div", { class: "grid wide" }, field(["intro"], { kind: "textarea", full: true }), field(["notes"], { kind: "textarea", full: true })));
}

// ---- diagnostics -----------------------------------------------------------------------
// A diagnostic's path may be deeper than any field ($...reps.max) or name a whole entry:
// it is shown at the nearest element whose path is a prefix of it.
function placeOf(path) {
  let p = path;
  while (p) {
    const el = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return null;
    p = p.slice(0, cut);
  }
  return null;
}

function showDiagnostics() {
  document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  document.querySelectorAll(".error").forEach((el) => { el.textContent = ""; });
  document.querySelectorAll(".exercise.invalid").forEach((el) => el.classList.remove("invalid"));
  const items = [];
  for (const d of state.diagnostics) {
    const el = d.path && d.path.startsWith("$") ? placeOf(d.path) : null;
    let text = d.message + (d.hint ? ` (${d.hint})` : "");
    // typed text where a number belongs: say what to type
    if (el && el.dataset.hint && typeof getAt(state.doc, partsOf(el.dataset.path)) === "string") text += `. ${el.dataset.hint}`;
    if (el) {
      const slot = document.getElementById(`${el.id}-error`) || (el.closest(".field, .exercise") || el).querySelector(".error");
      if (slot) slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : text;
      if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) el.setAttribute("aria-invalid", "true");
      const card = el.closest(".exercise"); if (card) card.classList.add("invalid");
    }
    items.push(h("li", {}, el ? h("button", { type: "button", onclick: () => focusPlace(el) }, `${where(el)}: ${text}`)
                                 : `${d.file ? d.file + ": " : ""}${d.path ? d.path + ": " : ""}${text}`));
  }
  const box = $("#problems");
  if (!items.length) { box.replaceChildren(); return; }
  box.replaceChildren(h("strong", { text: items.length === 1 ? "One problem to fix:" : `${items.length} problems to fix:` }), h("ul", {}, items));
}
// "Clamshell, Reps": the words a person sees next to the field.
function where(el) {
  const label = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
  const card = el.closest(".exercise");
  const name = card && card.querySelector("h3").textContent.replace(/^\d+\.\s*/, "");
  const own = label ? label.textContent : el.getAttribute("aria-label") || (el.matches(".exercise") ? "" : el.dataset.path);
  return [name, own].filter(Boolean).join(", ");
}
function focusPlace(el) {
  const target = el.matches("input, select, textarea") ? el : el.querySelector("input, select, textarea") || el;
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

// ---- talking to the server -----------------------------------------------------------
function api(url, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  return fetch(url, { ...init, headers }).then((res) => {
    if (res.status === 401) status("This server needs its token: open the address it printed when it started.", "bad");
    return res;
  });
}
const jsonBody = (doc) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(doc) });

function status(text, kind) {
  const el = $("#status");
  el.textContent = text;
  el.title = text; // the whole message, where the line is cut short
  el.className = kind || "";
}

function changed() {
  state.dirty = true;
  clearTimeout(state.timer);
  state.timer = setTimeout(preview, PREVIEW_DELAY_MS);
  $("#pages").classList.add("stale");
}

function hasExercises() {
  return state.doc.sections.some((s) => s.exercises.length);
}

async function preview() {
  const seq = ++state.previewSeq;
  const pages = $("#pages");
  if (!hasExercises()) {
    state.diagnostics = []; showDiagnostics(); pages.replaceChildren(); pages.classList.remove("stale");
    $("#preview-note").textContent = "Add an exercise from the catalog to see the handout.";
    return;
  }
  status("Updating the preview…");
  const width = Math.min(pages.clientWidth || 800, 832);
  const scale = Math.max(0.5, Math.min(2.5, (width / 612) * (window.devicePixelRatio || 1)));
  const q = new URLSearchParams({ scale: scale.toFixed(2) });
  if (validName()) q.set("name", state.name);
  const res = await api(`/api/preview?${q}`, jsonBody(state.doc));
  if (seq !== state.previewSeq) return; // a newer edit has asked for its own preview
  if (res.status === 422) {
    state.diagnostics = (await res.json()).diagnostics;
    showDiagnostics();
    status(state.diagnostics.length === 1 ? "One problem: see the marked field." : `${state.diagnostics.length} problems: see the marked fields.`, "bad");
    return;
  }
  if (!res.ok) { status(await errorText(res), "bad"); return; }
  const data = await res.json();
  state.diagnostics = []; showDiagnostics();
  const imgs = data.pages.map((p, i) => h("img", { src: p.png, width: p.width, height: p.height, alt: `Page ${i + 1} of ${data.page_count}` }));
  pages.replaceChildren(...imgs);
  pages.classList.remove("stale");
  pages.dataset.version = String(seq);
  $("#preview-note").textContent = `${data.page_count} page${data.page_count === 1 ? "" : "s"}` +
    (data.pages.length < data.page_count ? ` (the first ${data.pages.length} shown)` : "");
  status(data.warnings.length ? `Preview up to date. Warning: ${data.warnings[0].message}` : "Preview up to date.", data.warnings.length ? "bad" : "ok");
}

async function errorText(res) {
  try {
    const body = await res.json();
    // a problem outside the spec (a broken routinepress.toml, a bad catalog entry) names its file
    const d = body.diagnostics && body.diagnostics[0];
    if (d) return `${d.file}${d.path ? ` ${d.path}` : ""}: ${d.message}`;
    return body.error || `The server answered ${res.status}.`;
  } catch { return `The server answered ${res.status}.`; }
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;
function validName() { return NAME_RE.test(state.name); }

async function save() {
  state.name = $("#name").value.trim();
  if (!validName()) {
    $("#name").setAttribute("aria-invalid", "true"); $("#name").focus();
    status("Give the handout a name: letters, digits, - and _ (it is saved as handouts/NAME.json).", "bad");
    return;
  }
  $("#name").removeAttribute("aria-invalid");
  const known = [...$("#open").options].some((o) => o.value === state.name);
  if (known && state.opened !== state.name && !confirm(`handouts/${state.name}.json exists. Replace it?`)) return;
  status("Saving…");
  const res = await api(`/api/handouts/${encodeURIComponent(state.name)}`, { ...jsonBody(state.doc), method: "PUT" });
  if (res.status === 422) {
    state.diagnostics = (await res.json()).diagnostics; showDiagnostics();
    status("Not saved: fix the marked fields first.", "bad");
    return;
  }
  if (!res.ok) { status(`Not saved: ${await errorText(res)}`, "bad"); return; }
  const data = await res.json();
  state.dirty = false; state.opened = state.name;
  await loadList();
  status(`Saved ${data.path}.`, "ok");
}

async function download() {
  status("Building the PDF…");
  const q = validName() ? `?name=${encodeURIComponent(state.name)}` : "";
  const res = await api(`/api/build${q}`, jsonBody(state.doc));
  if (res.status === 422) { state.diagnostics = (await res.json()).diagnostics; showDiagnostics(); status("Fix the marked fields first.", "bad"); return; }
  if (!res.ok) { status(await errorText(res), "bad"); return; }
  const url = URL.createObjectURL(await res.blob());
  const a = h("a", { href: url, download: `${validName() ? state.name : "handout"}.pdf` });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  status("PDF downloaded.", "ok");
}

async function loadList() {
  const res = await api("/api/handouts");
  if (!res.ok) return;
  const { handouts } = await res.json();
  const sel = $("#open");
  sel.replaceChildren(h("option", { value: "", text: "New handout" }),
    ...handouts.map((x) => h("option", { value: x.name, selected: x.name === state.opened, text: x.title ? `${x.name} — ${x.title}` : x.name })));
}

async function open(name) {
  if (state.dirty && !confirm("Leave the changes you have not saved?")) { $("#open").value = state.opened || ""; return; }
  if (!name) { state.doc = blank(); state.name = ""; state.opened = ""; }
  else {
    const res = await api(`/api/handouts/${encodeURIComponent(name)}`);
    if (!res.ok) { status(res.status === 422 ? `handouts/${name}.json is not valid JSON.` : await errorText(res), "bad"); return; }
    const doc = await res.json();
    if (!doc || typeof doc !== "object" || !Array.isArray(doc.sections)) { status(`handouts/${name}.json is not a routine spec.`, "bad"); return; }
    state.doc = doc; state.name = name; state.opened = name;
  }
  $("#name").value = state.name;
  state.diagnostics = []; state.target = 0;
  render(); changed(); state.dirty = false;
  status(name ? `Opened handouts/${name}.json.` : "New handout.");
}

function blank() {
  return { spec_version: 1, title: "Home exercise program", date: new Date().toISOString().slice(0, 10),
           sections: [{ title: "Exercises", exercises: [] }] };
}

async function start() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("token")) { state.token = hash.get("token"); sessionStorage.setItem("routinepress-token", state.token); history.replaceState(null, "", location.pathname); }
  const [schemas, catalog] = await Promise.all([api("/api/schemas"), api("/api/catalog")]);
  if (!schemas.ok || !catalog.ok) { status(await errorText(schemas.ok ? catalog : schemas), "bad"); return; }
  state.schemas = await schemas.json();
  const data = await catalog.json();
  state.catalog = data.exercises; state.catalogFilters = data.filters;
  for (const ex of data.exercises) state.byId[ex.id] = ex;
  $("#folder").textContent = `· ${state.schemas.folder}`;
  state.doc = blank();
  await loadList();
  render(); preview();
  $("#open").addEventListener("change", (ev) => open(ev.target.value));
  $("#name").addEventListener("input", (ev) => { state.name = ev.target.value.trim(); });
  $("#save").addEventListener("click", save);
  $("#download").addEventListener("click", download);
  window.addEventListener("beforeunload", (ev) => { if (state.dirty) ev.preventDefault(); });
  document.body.dataset.ready = "true";
}

start();
