// routinepress editor, part 3 of 3: diagnostics at their fields, and the server: preview
// about a second after an edit, open, save, download. Starts the page.
"use strict";

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

// Problems (the spec will not build) and warnings (it builds and prints as it is, but a line
// may contradict the dose): each at its field, and all of them listed, the problems first.
function showDiagnostics() {
  document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  document.querySelectorAll("[data-warned]").forEach((el) => el.removeAttribute("data-warned"));
  document.querySelectorAll(".error").forEach((el) => { el.textContent = ""; el.classList.remove("warning"); });
  document.querySelectorAll(".exercise.invalid").forEach((el) => el.classList.remove("invalid"));
  const problems = state.diagnostics.map((d) => listItem(d, false));
  const warnings = state.warnings.map((d) => listItem(d, true));
  const box = $("#problems");
  box.classList.toggle("warnings-only", !problems.length);
  const parts = [];
  if (problems.length) parts.push(h("strong", { text: problems.length === 1 ? "One problem to fix:" : `${problems.length} problems to fix:` }), h("ul", {}, problems));
  if (warnings.length) parts.push(h("strong", { text: `${warnings.length === 1 ? "One warning" : `${warnings.length} warnings`}: the handout still prints, but check ${warnings.length === 1 ? "it" : "them"}:` }),
                                  h("ul", { class: "warnings" }, warnings));
  box.replaceChildren(...parts);
}
const WARNING_LEAD = "Will print, but check: ";
function listItem(found, warning) {
  const d = plain(found);
  const el = d.path && d.path.startsWith("$") ? placeOf(d.path) : null;
  // the hint as a sentence of its own: a message may end in brackets already ("(it says 10 reps)")
  let text = d.message + (d.hint ? `. ${d.hint.charAt(0).toUpperCase()}${d.hint.slice(1)}` : "");
  // typed text where a number belongs: say what to type
  if (!warning && el && el.dataset.hint && typeof getAt(state.doc, partsOf(el.dataset.path)) === "string") text += `. ${el.dataset.hint}`;
  if (warning) text = WARNING_LEAD + text;
  if (el) {
    const slot = document.getElementById(`${el.id}-error`) || (el.closest(".field, .exercise") || el).querySelector(".error");
    if (slot) {
      if (slot.textContent) slot.append("; ");
      slot.append(h("span", { class: warning ? "warn" : "bad", text }));
      slot.classList.toggle("warning", !slot.querySelector(".bad"));  // red as soon as one is a problem
    }
    const input = ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName);
    if (input) el.setAttribute(warning ? "data-warned" : "aria-invalid", "true");
    const card = el.closest(".exercise"); if (card && !warning) card.classList.add("invalid");
  }
  // a plain sentence names its field already ("Hold must be ..."): the summary adds the exercise
  return h("li", { class: warning ? "warn" : null }, el ? h("button", { type: "button", onclick: () => focusPlace(el) },
                                  [d.named ? where(el, false) : where(el), text].filter(Boolean).join(": "))
                               : `${d.file ? d.file + ": " : ""}${d.path ? d.path + ": " : ""}${text}`);
}
// "Clamshell, Reps": the words a person sees next to the field (without the field's own label: "Clamshell").
function where(el, withLabel = true) {
  const card = el.closest(".exercise");
  const name = card && card.querySelector("h3").textContent.replace(/^\d+\.\s*/, "");
  return [name, withLabel ? labelOf(el) : ""].filter(Boolean).join(", ");
}
function labelOf(el) {
  const label = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
  return label ? label.textContent : el.getAttribute("aria-label") || (el.matches(".exercise") ? "" : el.dataset.path);
}

// The schema checker's words for the editor's own fields, said plainly ("Hold must be more
// than 0 seconds"), and a missing field's diagnostic moved from its parent to the field.
// Anything not recognised is shown as the server said it.
function plain(d) {
  let path = d.path || "";
  const missing = /^'([A-Za-z_]+)' is missing \(required\)$/.exec(d.message);
  if (missing && document.querySelector(`[data-path="${CSS.escape(`${path}.${missing[1]}`)}"]`)) path = `${path}.${missing[1]}`;
  // one line of a lines box (tips[2]): the box, and which line
  const item = /^(.*)\[(\d+)\]$/.exec(path);
  const box = item && document.querySelector(`textarea[data-path="${CSS.escape(item[1])}"]`);
  if (box) path = item[1];
  const el = path.startsWith("$") ? document.querySelector(`[data-path="${CSS.escape(path)}"]`) : null;
  if (!el || !el.matches("input, select, textarea")) return { ...d, path };
  // "Hold (seconds)" -> "Hold" and "seconds"; "Stop if (goes in the stop box)" -> "Stop if"
  const [, name, unit] = /^(.*?)\s*(?:\(([^)]*)\))?$/.exec(labelOf(el));
  const units = unit && /^\w+$/.test(unit) ? ` ${unit}` : "";
  const said = (message, hint = null) => ({ ...d, path, message, hint, named: true });
  let m;
  if ((m = /^is too long: (\d+) characters, the limit is (\d+)/.exec(d.message)))
    return said(box ? `${name}: line ${Number(item[2]) + 1} is over ${m[2]} characters` : `${name} is over ${m[2]} characters`, "shorten it");
  if ((m = /^is too long: (\d+) items, the limit is (\d+)/.exec(d.message)) && el.matches(".lines textarea"))
    return said(`${name}: at most ${m[2]} lines (there are ${m[1]})`);
  if (box) return { ...d, path: `${item[1]}[${item[2]}]` };  // anything else about one line: as the server said it
  if (missing) return said(`${name} is missing`);
  if (/^is too short: 0 characters/.test(d.message)) return said(`${name} is empty`);
  if ((m = /^the range runs backwards: min (\d+) is more than max (\d+)/.exec(d.message)))
    return said(`${name}: the first number is bigger than the second`, `type ${m[2]}-${m[1]}`);
  if ((m = /^must be more than (-?[\d.]+)$/.exec(d.message)))  // (the JSON hint, "write null", is not the editor's)
    return said(`${name} must be more than ${m[1]}${units}`);
  if ((m = /^-?[\d.]+ is less than the minimum of (-?[\d.]+)$/.exec(d.message)))
    return said(`${name} must be at least ${m[1]}${units}`);
  if ((m = /^-?[\d.]+ is greater than the maximum of (-?[\d.]+)$/.exec(d.message)))
    return said(`${name} can be at most ${m[1]}${units}`);
  if (/^as_needed: true sets no schedule/.test(d.message))
    return said(`${name}: not with “${LABELS.as_needed}”`, "clear one of them");
  return { ...d, path };
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
    if (res.status === 401) status(NEEDS_TOKEN, "bad");
    return res;
  }, () => new Response(JSON.stringify({ error: NO_ANSWER }), { status: 503, headers: { "Content-Type": "application/json" } }));
}
// A server that stopped, or a network that dropped: said where the action's outcome goes
// ("Not saved: ...") instead of leaving "Saving…" up for good.
const NO_ANSWER = "the server did not answer; is routinepress serve still running?";
const NEEDS_TOKEN = "This server needs its token: open the address it printed when it started.";
const jsonBody = (doc) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(doc) });

// Two lines: #status, in the header, says what came of the clinician's last action (saved,
// not saved, downloaded) and keeps saying it until their next one; #preview-note, above the
// pages, says how the preview is doing (updating, how many pages, problems).
function status(text, kind) {
  const el = $("#status");
  el.textContent = text;
  el.title = text;
  el.className = kind || "";
}
function previewStatus(text, kind) {
  const el = $("#preview-note");
  el.textContent = text;
  el.className = kind || "muted";
}

function changed() {
  status("");  // an edit: the last save's or download's outcome no longer describes the handout
  state.dirty = true;
  state.edits++;  // (a save in flight knows from this whether it saved the latest edits)
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
    state.diagnostics = []; state.warnings = []; showDiagnostics(); pages.replaceChildren(); pages.classList.remove("stale");
    previewStatus("Add an exercise from the catalog to see the handout.");
    return;
  }
  previewStatus("Updating the preview…");
  const width = Math.min(pages.clientWidth || 800, 832);
  const scale = Math.max(0.5, Math.min(2.5, (width / 612) * (window.devicePixelRatio || 1)));
  const q = new URLSearchParams({ scale: scale.toFixed(2) });
  if (validName()) q.set("name", state.name);
  const res = await api(`/api/preview?${q}`, jsonBody(state.doc));
  if (seq !== state.previewSeq) return; // a newer edit has asked for its own preview
  if (res.status === 422) {
    state.diagnostics = (await res.json()).diagnostics; state.warnings = [];
    showDiagnostics();
    previewStatus(state.diagnostics.length === 1 ? "One problem: see the marked field." : `${state.diagnostics.length} problems: see the marked fields.`, "bad");
    return;
  }
  if (!res.ok) { previewStatus(await errorText(res), "bad"); return; }
  const data = await res.json();
  state.diagnostics = []; state.warnings = data.warnings; showDiagnostics();
  const imgs = data.pages.map((p, i) => h("img", { src: p.png, width: p.width, height: p.height, alt: `Page ${i + 1} of ${data.page_count}` }));
  pages.replaceChildren(...imgs);
  pages.classList.remove("stale");
  pages.dataset.version = String(seq);
  const count = data.warnings.length;
  previewStatus(`${data.page_count} page${data.page_count === 1 ? "" : "s"}` +
    (data.pages.length < data.page_count ? ` (the first ${data.pages.length} shown)` : "") +
    (count ? `; ${count === 1 ? "one warning" : `${count} warnings`}: see the marked field${count === 1 ? "" : "s"}` : ""),
    count ? "warn" : "muted");
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

// One save at a time: a second click (a double click) while the first is on its way would
// quote the same version and be refused as if someone else had saved.
async function save() {
  if (state.saving) return;
  state.saving = true;
  $("#save").disabled = true;
  try { await saveOnce(); } finally { state.saving = false; $("#save").disabled = false; }
}

async function saveOnce() {
  state.name = $("#name").value.trim();
  if (!validName()) {
    $("#name").setAttribute("aria-invalid", "true"); $("#name").focus();
    status("Give the handout a name: letters, digits, - and _ (it is saved as handouts/NAME.json).", "bad");
    return;
  }
  $("#name").removeAttribute("aria-invalid");
  // The name as Save was pressed: one typed into the box while the request is on its way
  // names the next save, not this one.
  const name = state.name;
  const known = [...$("#open").options].some((o) => o.value === name);
  if (known && state.opened !== name && !confirm(`handouts/${name}.json exists. Replace it?`)) return;
  status("Saving…");
  // What is saved is the handout as it is now: edits typed while the request is on its way
  // are not in it, and must not be marked saved when it comes back.
  const body = JSON.stringify(state.doc);
  const editsSaved = state.edits;
  // Replace only the version this window opened: a save from another window (or a new
  // file of the same name) in between is not overwritten unasked.
  const mine = state.opened === name && state.version;
  const put = (condition) => api(`/api/handouts/${encodeURIComponent(name)}`,
                                 { method: "PUT", body, headers: { "Content-Type": "application/json", ...condition } });
  let res = await put(mine ? { "If-Match": state.version } : known ? {} : { "If-None-Match": "*" });
  if (res.status === 412) {
    const answer = await res.json().catch(() => ({}));
    const why = answer.error || "the handout changed since you opened it";
    const gone = answer.exists === false;
    const question = gone ? `${why}. Save yours again as a new file, handouts/${name}.json?`
                          : `${why}. Replace that version with yours? (Cancel keeps it; you can save yours under another name.)`;
    if (!confirm(question)) {
      status(`Not saved: ${why}.`, "bad");
      return;
    }
    res = await put(gone ? { "If-None-Match": "*" } : {});
  }
  if (res.status === 422) {
    state.diagnostics = (await res.json()).diagnostics; showDiagnostics();
    status("Not saved: fix the marked fields first.", "bad");
    revealProblems();
    return;
  }
  if (!res.ok) { status(`Not saved: ${await errorText(res)}`, "bad"); return; }
  const data = await res.json();
  state.dirty = state.edits !== editsSaved; state.opened = name; state.version = res.headers.get("ETag");
  await loadList();
  if (state.dirty) status(`Saved ${data.path}, without the changes made while it was saving: save again to keep them.`, "warn");
  else status(`Saved ${data.path}.`, "ok");
}

async function download() {
  status("Building the PDF…");
  const q = validName() ? `?name=${encodeURIComponent(state.name)}` : "";
  const res = await api(`/api/build${q}`, jsonBody(state.doc));
  if (res.status === 422) {
    state.diagnostics = (await res.json()).diagnostics; showDiagnostics();
    status("No PDF: fix the marked fields first.", "bad"); revealProblems(); return;
  }
  if (!res.ok) { status(await errorText(res), "bad"); return; }
  const url = URL.createObjectURL(await res.blob());
  const a = h("a", { href: url, download: `${validName() ? state.name : "handout"}.pdf` });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  status("PDF downloaded.", "ok");
}

// After a refused save or download: the list of problems, where the clinician can see it (in
// a narrow window it is far below the Save button), each item a link to its field.
function revealProblems() {
  const box = $("#problems");
  if (!box.childElementCount) return;
  box.scrollIntoView({ block: "start" });
  box.focus({ preventScroll: true });
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
  if (!name) { state.doc = blank(); state.name = ""; state.opened = ""; state.version = null; }
  else {
    const res = await api(`/api/handouts/${encodeURIComponent(name)}`);
    // Not opened: the list goes back to the handout the form still holds.
    const refuse = (why) => { status(why, "bad"); $("#open").value = state.opened || ""; };
    if (!res.ok) { refuse(res.status === 422 ? `handouts/${name}.json is not valid JSON.` : await errorText(res)); return; }
    const doc = await res.json();
    if (!doc || typeof doc !== "object" || !Array.isArray(doc.sections)) { refuse(`handouts/${name}.json is not a routine spec.`); return; }
    state.doc = doc; state.name = name; state.opened = name; state.version = res.headers.get("ETag");
  }
  $("#name").value = state.name;
  state.diagnostics = []; state.warnings = []; state.target = 0;
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
  if (!schemas.ok || !catalog.ok) {
    const failed = schemas.ok ? catalog : schemas;
    status(failed.status === 401 ? NEEDS_TOKEN : await errorText(failed), "bad");  // (not the server's words for a program)
    return;
  }
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
  $("#name").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); save(); } });
  $("#save").addEventListener("click", save);
  $("#download").addEventListener("click", download);
  // the header stays in view in a narrow window; what it covers is scrolled clear of it
  new ResizeObserver(() => document.documentElement.style.setProperty("--bar-height", `${$(".bar").offsetHeight}px`)).observe($(".bar"));
  window.addEventListener("beforeunload", (ev) => { if (state.dirty) ev.preventDefault(); });
  document.body.dataset.ready = "true";
}

start();
