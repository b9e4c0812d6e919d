// routinepress editor, part 2 of 3: the form's panels (routine, catalog search, sections and
// exercises, stop-if lines, tracker, text), drawn again from the spec after each change of shape.
"use strict";

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
    field(["title"], { full: true, help: true }),
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
      const title = document.getElementById(fieldId(["sections", state.target, "title"]));
      title.focus();
      title.select();  // typing replaces "Part 2" rather than adding to it
    } }, "Add a section"));
}

function sectionBlock(section, s) {
  const parts = ["sections", s];
  const remove = state.doc.sections.length > 1
    ? h("button", { type: "button", class: "small", "aria-label": `Remove section ${section.title || s + 1}`,
                    onclick: () => {
                      const count = section.exercises.length;
                      // a section's exercises, their doses and notes go with it: asked first
                      if (count && !confirm(`Remove “${section.title || `section ${s + 1}`}” and its ${count === 1 ? "exercise" : `${count} exercises`}?`)) return;
                      state.doc.sections.splice(s, 1); state.target = 0; changed(); render();
                      $("#h-sections").setAttribute("tabindex", "-1");
                      $("#h-sections").focus();  // (the button is gone: the keyboard stays in the list)
                    } }, "Remove section")
    : null;
  const list = h("div", { "data-path": pathText([...parts, "exercises"]), id: fieldId([...parts, "exercises"]), tabindex: "-1" },
    section.exercises.map((entry, e) => exerciseCard(entry, s, e)),
    h("p", { class: "error", id: `${fieldId([...parts, "exercises"])}-error` }));
  const addTo = h("button", { type: "button", class: "small", id: `add-to-section-${s}`,
                              onclick: () => { state.target = s; render(); $("#search").focus(); } },
    addLabel(section));
  const title = field([...parts, "title"], { label: "Section title" });
  // a new title shows at once wherever the section is named, not at the next redraw
  title.querySelector("input").addEventListener("input", () => {
    addTo.textContent = addLabel(section);
    if (remove) remove.setAttribute("aria-label", `Remove section ${section.title || s + 1}`);
    const option = document.querySelector(`#target option[value="${s}"]`);
    if (option) option.textContent = section.title || `Section ${s + 1}`;
  });
  return h("div", { class: "section", "data-path": pathText(parts) },
    h("div", { class: "section-head" }, title,
      field([...parts, "frequency", "days_per_week"], { kind: "int", label: "Days a week" }),
      field([...parts, "frequency", "times_per_day"], { kind: "int", label: "Times a day" }),
      field([...parts, "frequency", "as_needed"], { kind: "flag", label: LABELS.as_needed }), remove),
    list, addTo);
}

// Only the sides the exercise can be done with (the catalog says: side steps cannot switch
// sides every time, a squat has no side to choose); a side already set stays, to be seen and changed.
function sideOptions(options, info, entry) {
  const current = typeof entry === "object" && entry.dosage ? entry.dosage.side : undefined;
  if (!info || !info.sides) return options;
  return options.filter(([value]) => value === "" || value === current || info.sides.includes(value));
}

const addLabel = (section) => `Add exercises to “${section.title || "this section"}”`;

function exerciseCard(entry, s, e) {
  const parts = ["sections", s, "exercises", e];
  const ref = typeof entry === "string" ? entry : entry.ref;
  const info = state.byId[ref];
  const defaults = (info && info.default_dosage) || {};
  const freq = frequencyInForce(s, e);
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
      dose("sets", "int"), dose("reps", "reps"), field([...parts, "dosage", "unit"], { kind: "text", label: LABELS.unit,
        placeholder: describeDefault("unit", defaults.unit) || "times" }),
      dose("hold_seconds", "number"), dose("duration_seconds", "number"), dose("rest_seconds", "number"),
      field([...parts, "dosage", "side"], { kind: "select", label: LABELS.side,
        options: sideOptions(enumOptions(sideSchema, defaults.side ? `${defaults.side} (default)` : "not said"), info, entry) }),
      dose("load", "text"),
      field([...parts, "frequency", "days_per_week"], { kind: "int", placeholder: freq.days_per_week ?? "", label: LABELS.days_per_week }),
      field([...parts, "frequency", "times_per_day"], { kind: "int", placeholder: freq.times_per_day ?? "", label: LABELS.times_per_day }),
      field([...parts, "frequency", "as_needed"], { kind: "flag", label: LABELS.as_needed }),
      field([...parts, "notes"], { kind: "textarea", label: "Notes for this patient", full: true, rows: 2 }),
      linesField([...parts, "tips"], info), linesField([...parts, "care"], info), linesField([...parts, "red_flags"], info),
      entryHas("video_url") ? field([...parts, "video_url"], { label: "Video link (printed as a QR code)", full: true,
                                                              placeholder: (info && info.video_url) || "a web address" }) : null));
}

// An exercise's tips, care cues or reasons to stop, for this patient: one a line, in place
// of the catalog's (greyed in the box while it is empty); "Print none" leaves them all out ([]),
// and unticked, gives back what was typed.
const LINE_LABELS = { tips: "Tips", care: "Take care", red_flags: "Stop if (goes in the stop box)" };
const LINE_NAMES = { tips: "tips", care: "care cues", red_flags: "reasons to stop" };
// A bullet or number pasted from a letter or a leaflet: the handout prints its own.
const LEADING_MARK = /^\s*(?:[•◦▪‣·]\s*|[-*–—]\s+|\d{1,2}[.)]\s+)/;
const linesOf = (text) => text.split("\n").map((line) => line.replace(LEADING_MARK, "").trim()).filter(Boolean);
// rows enough for the catalog's lines (or the typed ones), each line wrapped at about 64 characters
const rowsFor = (lines) => Math.min(6, Math.max(2, lines.reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 64)), 0)));
// The catalog's lines that print for this patient, as model.py chooses them (catalog.Line.applies):
// those for a condition only with it, a generic "stop if it hurts" not under a pain rule, a
// plan for a band or weight not once a load is prescribed.
function printedCatalogLines(info, path) {
  if (!info) return [];
  const field = path[path.length - 1];
  const entry = getAt(state.doc, path.slice(0, -1));
  const conditions = state.doc.conditions || [];
  const painRule = state.doc.pain_rule !== undefined;
  const own = typeof entry === "object" && entry.dosage && "load" in entry.dosage ? entry.dosage.load : undefined;
  const loaded = own !== undefined ? own !== null : Boolean((info.default_dosage || {}).load);
  return (info[field] || []).filter((line) => !(line.yields_to_pain_rule && painRule) && !(line.yields_to_load && loaded)
    && (!line.conditions.length || line.conditions.some((c) => conditions.includes(c)))).map((line) => line.text);
}
// (a change of conditions, pain rule or load changes what prints: every box's grey lines follow)
function refreshCatalogLines() {
  document.querySelectorAll("textarea[data-catalog-lines]").forEach((box) => box.refreshLines());
}

function linesField(path, info) {
  const id = fieldId(path);
  const field = path[path.length - 1];  // tips, care or red_flags
  const value = getAt(state.doc, path);
  const box = h("textarea", { id, "data-path": pathText(path), "aria-describedby": `${id}-error ${id}-help`, "data-catalog-lines": "" });
  let catalogLines = printedCatalogLines(info, path);
  box.value = Array.isArray(value) ? value.join("\n") : "";
  const none = h("input", { type: "checkbox", id: `${id}-none`, checked: Array.isArray(value) && !value.length });
  const fit = () => { box.rows = rowsFor(box.value.trim() ? box.value.split("\n") : catalogLines); };
  // Typed lines replace all of the catalog's: to add one to them, start from a copy of them.
  const copy = h("button", { type: "button", class: "small", "aria-label": `Edit the catalog's ${LINE_NAMES[field]}`, onclick: () => {
    box.value = catalogLines.join("\n");
    setAt(path, [...catalogLines]);
    showNone();
    box.focus();
  } }, "Edit the catalog's lines");
  const offerCopy = () => { copy.hidden = none.checked || Boolean(box.value.trim()) || !catalogLines.length; };
  const showNone = () => {
    box.disabled = none.checked;
    offerCopy();
    const offered = info ? (info[field] || []).length : 0;
    box.placeholder = none.checked ? "(none printed)" : catalogLines.join("\n")
      || (offered ? "(none of the catalog's print for this patient)" : "(none in the catalog)");
    fit();
  };
  showNone();
  box.refreshLines = () => { catalogLines = printedCatalogLines(info, path); showNone(); };
  box.addEventListener("input", () => {
    const lines = linesOf(box.value);
    setAt(path, lines.length ? lines : undefined);
    offerCopy();
    fit();
  });
  // What was typed is kept with the exercise itself, not at its place in the list: it moves
  // with the exercise, and goes with it when it is removed or another handout is opened.
  const owner = () => getAt(state.doc, path.slice(0, -1));
  none.addEventListener("change", () => {
    if (none.checked) {
      const typed = box.value;
      box.value = "";
      setAt(path, []);  // (an entry written as a bare id becomes an object here, to keep the lines with)
      const kept = state.keptLines.get(owner()) || {};
      state.keptLines.set(owner(), { ...kept, [field]: typed });
    } else {
      const kept = state.keptLines.get(owner()) || {};
      box.value = kept[field] || "";
      delete kept[field];
      const lines = linesOf(box.value);
      setAt(path, lines.length ? lines : undefined);
    }
    showNone();
  });
  return h("div", { class: "field full lines" },
    h("div", { class: "lines-head" }, h("label", { for: id, text: LINE_LABELS[field] }),
      copy, h("span", { class: "check" }, none, h("label", { for: `${id}-none`, text: "Print none" }))),
    box,
    h("p", { class: "help", id: `${id}-help`, text: "One a line; left empty, the catalog's (in grey) print." }),
    h("p", { class: "error", id: `${id}-error` }));
}

// How often an exercise is done, as model.py's prescribed_frequency reads it: the entry's
// own fields over its section's, else the catalog's default as a whole; the entry's "only
// when needed" replaces the section's days and times. The grey hints show what will print.
function frequencyInForce(s, e) {
  const entry = state.doc.sections[s].exercises[e];
  const info = state.byId[typeof entry === "string" ? entry : entry.ref];
  const given = (f) => (f && typeof f === "object" ? f : {});
  const own = given(typeof entry === "object" && entry.frequency);
  let inherited = { ...given(state.doc.sections[s].frequency) };
  if (own.as_needed) inherited = {};
  else if ("days_per_week" in own || "as_needed" in own) delete inherited.as_needed;
  const onSchedule = (f) => Object.fromEntries(Object.entries(f).filter(([k, v]) => !(k === "as_needed" && !v)));
  const chosen = onSchedule({ ...inherited, ...own });
  return Object.keys(chosen).length ? chosen : onSchedule((info && info.default_frequency) || {});
}
// after an edit of any frequency box, without drawing the form again (the cursor stays put)
function refreshFrequencyHints() {
  state.doc.sections.forEach((section, s) => section.exercises.forEach((_, e) => {
    const freq = frequencyInForce(s, e);
    for (const key of ["days_per_week", "times_per_day"]) {
      const input = document.getElementById(fieldId(["sections", s, "exercises", e, "frequency", key]));
      if (input) input.placeholder = freq[key] ?? "";
    }
  }));
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
  // (the server takes up to 100 characters; a pasted paragraph is searched once, not per key)
  search.maxLength = 100;
  search.addEventListener("input", () => {
    state.filters.q = search.value;
    clearTimeout(state.searchTimer);
    state.searchTimer = setTimeout(fillResults, SEARCH_DELAY_MS);
  });
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
const SEARCH_DELAY_MS = 150;
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
  // A keyboard user on an Add button keeps it when the list is drawn again (a slower, older
  // search can answer after they have tabbed in).
  const shown = $("#results");  // (the form may have been drawn again while the search ran)
  const focused = shown.contains(document.activeElement) && document.activeElement.dataset.id;
  shown.replaceChildren(...(items.length ? items : [h("li", { class: "none", text: "No exercise matches." })]));
  shown.dataset.query = state.filters.q || "";  // which search the list shows (tests wait for it)
  const again = focused && shown.querySelector(`button[data-id="${CSS.escape(focused)}"]`);
  if (again) again.focus({ preventScroll: true });
}

function addExercise(id) {
  const s = Math.min(state.target, state.doc.sections.length - 1);
  state.doc.sections[s].exercises.push(id);
  changed(); render();
  // the Add button was drawn again: the keyboard goes back to the search box, its words
  // selected, ready for the next exercise (not to the top of the page)
  const search = $("#search");
  search.focus({ preventScroll: true });
  search.select();
  status(`Added ${state.byId[id] ? state.byId[id].name : id} to “${state.doc.sections[s].title || `section ${s + 1}`}”.`);
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
      field(["tracker", "weeks"], { kind: "int", placeholder: "2", help: true }),
      field(["tracker", "start_date"], { kind: "date" }),
      field(["tracker", "pain_score"], { kind: "checkbox" })));
}

function notesPanel() {
  return h("section", { class: "panel", "aria-labelledby": "h-notes" }, h("h2", { id: "h-notes", text: "Text" }),
    h("div", { class: "grid wide" }, field(["intro"], { kind: "textarea", full: true, help: true }),
      field(["notes"], { kind: "textarea", full: true, help: true })));
}
