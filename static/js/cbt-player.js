/* 机考考生端 (kaowu.cbt). The seat signs in with the ticket number and the ID's last digits and gets an exam token
   (X-Exam-Token, kept in localStorage with the attempt). Every change of an answer gets the next number of the
   attempt's own counter and a random nonce, is written to localStorage BEFORE it is sent, and is removed only when
   the server's acknowledgement (sent after its commit) carries a sequence number at least as high. What is not yet
   acknowledged is sent again on load, when the network returns and every 5 s: a reload, a crash or a dropped link
   loses nothing, and the server keeps the highest number, so a replay is harmless. The time shown is the server's
   remaining time, counted down here and re-synced on every read. */
(function () {
  "use strict";
  const box = document.getElementById("player");
  const $ = (id) => document.getElementById(id);
  const API = "/api/v1/cbt";
  const roomKey = "kaowu.cbt.seat." + box.dataset.session + "." + box.dataset.room;
  const load = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch (e) { return d; } };
  const keep = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  const KINDS = {judge: "判断题", single: "单项选择题", multi: "多项选择题"};
  const JUDGE = [{key: "T", text: "正确（√）"}, {key: "F", text: "错误（×）"}];
  const LETTERS = "ABCDEFGH";

  let device = localStorage.getItem("kaowu.cbt.device");
  if (!device) { device = crypto.randomUUID(); localStorage.setItem("kaowu.cbt.device", device); }

  let seat = load(roomKey, null); // {token, attempt_id}
  let state = null, questions = [], current = 0, status = "";
  let clockAt = 0, clockLeft = 0, flushing = false;
  const inFlight = new Set();
  const k = (name) => "kaowu.cbt." + seat.attempt_id + "." + name;
  const pending = () => load(k("pending"), {}); // {paper_item_id: {value, seq, nonce}}
  const marks = () => new Set(load(k("marks"), []));

  function notice(text) { const el = $("notice"); el.textContent = text || ""; el.hidden = !text; }
  function show(id) { for (const s of ["sign-in", "waiting", "exam"]) $(s).hidden = s !== id; }

  // A network failure rejects; any answer of the server, a refusal too, resolves with {status, body}.
  async function call(method, path, body) {
    const headers = {"Content-Type": "application/json"};
    if (seat) headers["X-Exam-Token"] = seat.token;
    const r = await fetch(API + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store"});
    let data = {};
    try { data = await r.json(); } catch (e) { /* an empty or non-JSON answer */ }
    if (r.status === 401 && seat) signOut("登录已失效，请重新登录。");
    return {status: r.status, body: data};
  }

  function signOut(text) {
    localStorage.removeItem(roomKey);
    seat = null; state = null;
    show("sign-in"); $("who").hidden = $("clock-box").hidden = true;
    notice(text);
  }

  $("sign-in-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    notice("");
    try {
      const r = await call("POST", "/sign-in", {
        session_id: Number(box.dataset.session), room_id: Number(box.dataset.room),
        ticket_number: $("ticket").value.trim(), doc_last_digits: $("digits").value.trim(), device,
      });
      if (r.status !== 200) return notice(r.body.message || "登录失败，请核对后重试或请监考员协助。");
      seat = {token: r.body.token, attempt_id: r.body.attempt_id};
      keep(roomKey, seat);
      $("digits").value = "";
      refresh();
    } catch (err) { notice("网络未连接，无法登录，请监考员检查网络。"); }
  });

  // Reading the attempt ------------------------------------------------------------------------------------
  async function refresh() {
    if (!seat) return;
    let r;
    try { r = await call("GET", "/attempt"); } catch (e) { return; }
    if (r.status !== 200 || !seat) return;
    state = r.body; status = state.status;
    clockLeft = state.remaining_seconds; clockAt = performance.now();
    tick();
    $("who").textContent = state.candidate_name + " · " + state.seat_no + " 号座位";
    $("who").hidden = false;
    $("clock-box").hidden = status !== "running" && status !== "paused";
    if (state.questions.length) merge(state.questions);
    if (status === "running" || (status === "paused" && questions.length)) {
      show("exam");
      notice(status === "paused" ? "考试暂停中，计时已停止；恢复后继续作答，时间补足。" : "");
      render();
      flush();
    } else {
      show("waiting");
      const done = status === "handed_in";
      $("waiting-title").textContent = done ? "已交卷" : "等待开考";
      $("waiting-text").textContent = done
        ? "你的答卷已提交，请听从监考员安排离场。"
        : "已登录（" + state.status_label + "）。请等待监考员发出开考指令，开考后试题自动显示。";
      if (done) { localStorage.removeItem(k("pending")); notice(""); }
    }
    box.dataset.status = status;
    box.dataset.ready = "1";
  }

  // The server's answers, with what this machine changed and the server has not yet acknowledged on top.
  function merge(fromServer) {
    const local = pending();
    let seq = load(k("seq"), 0);
    for (const q of fromServer) {
      seq = Math.max(seq, q.seq);
      const p = local[q.paper_item_id];
      if (p && p.seq <= q.seq) delete local[q.paper_item_id];
      else if (p) q.answer = p.value;
    }
    keep(k("pending"), local);
    keep(k("seq"), seq);
    if (!questions.length) current = load(k("at"), 0); // a reload comes back to the question it left
    questions = fromServer;
    current = Math.max(0, Math.min(current, questions.length - 1));
  }

  // Saving -------------------------------------------------------------------------------------------------
  function choose(key) {
    const q = questions[current];
    if (!q || status !== "running") return;
    let value = key;
    if (q.kind === "multi") {
      const set = new Set(q.answer.split("").filter(Boolean));
      set.has(key) ? set.delete(key) : set.add(key);
      value = [...set].sort().join("");
    }
    if (value === q.answer) return;
    q.answer = value;
    const seq = load(k("seq"), 0) + 1;
    keep(k("seq"), seq);
    const local = pending();
    local[q.paper_item_id] = {value, seq, nonce: crypto.randomUUID()};
    keep(k("pending"), local); // kept before it is sent
    render();
    send(q.paper_item_id);
  }

  async function send(id) {
    if (!seat || inFlight.has(id)) return;
    const p = pending()[id];
    if (!p) return;
    inFlight.add(id);
    render();
    let again = false;
    try {
      const r = await call("PUT", "/attempt/answers/" + id, p);
      if (r.status === 200) { acknowledge(id, r.body.seq); again = Boolean(pending()[id]); } // changed meanwhile
      else if (r.status === 409 && r.body.code === "handed_in") refresh();
      else if (r.status === 409) status = "paused";
      else if (r.status === 400 || r.status === 422) { drop(id); notice(r.body.message || "该题答案未被接受。"); refresh(); }
    } catch (e) { /* offline: kept, sent again later */ }
    inFlight.delete(id);
    render();
    if (again) send(id);
  }

  function acknowledge(id, seq) {
    const local = pending();
    if (local[id] && local[id].seq <= seq) { delete local[id]; keep(k("pending"), local); }
  }
  function drop(id) { const local = pending(); delete local[id]; keep(k("pending"), local); }

  async function flush() {
    if (!seat || flushing || status !== "running") return;
    flushing = true;
    try { await Promise.all(Object.keys(pending()).map((id) => send(Number(id)))); } finally { flushing = false; }
  }

  function saveState(id) {
    if (inFlight.has(id)) return "saving";
    return pending()[id] ? "unsaved" : "saved";
  }

  // Drawing ------------------------------------------------------------------------------------------------
  const SAVE_TEXT = {saved: "已保存", saving: "保存中", unsaved: "未保存"};

  function render() {
    const q = questions[current];
    if (!q) return;
    const local = pending(), marked = marks();
    $("question").dataset.item = q.paper_item_id;
    $("q-number").textContent = q.number;
    $("q-total").textContent = questions.length;
    $("q-kind").textContent = KINDS[q.kind] || q.kind;
    $("q-stem").textContent = q.stem;
    const st = saveState(q.paper_item_id);
    $("save-state").dataset.state = st;
    $("save-state").textContent = q.answer ? SAVE_TEXT[st] : (local[q.paper_item_id] ? SAVE_TEXT[st] : "未作答");
    const list = $("q-options");
    list.replaceChildren();
    const options = q.kind === "judge" ? JUDGE : q.options;
    options.forEach((o, i) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "cbt-option" + (q.answer.includes(o.key) ? " chosen" : "");
      b.dataset.key = o.key;
      b.setAttribute("aria-pressed", q.answer.includes(o.key) ? "true" : "false");
      b.disabled = status !== "running";
      const letter = document.createElement("span");
      letter.className = "cbt-letter";
      letter.textContent = LETTERS[i];
      b.append(letter, document.createTextNode(o.text));
      b.addEventListener("click", () => choose(o.key));
      li.append(b);
      list.append(li);
    });
    $("prev").disabled = current === 0;
    $("next").disabled = current === questions.length - 1;
    $("mark").textContent = marked.has(q.paper_item_id) ? "取消待复查" : "标记待复查";
    drawPalette(local, marked);
  }

  function drawPalette(local, marked) {
    const pal = $("palette");
    if (pal.children.length !== questions.length) {
      pal.replaceChildren(...questions.map((q, i) => {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = q.number;
        b.addEventListener("click", () => go(i));
        return b;
      }));
    }
    let answered = 0;
    questions.forEach((q, i) => {
      const b = pal.children[i];
      if (q.answer) answered++;
      b.className = (q.answer ? "answered" : "") + (marked.has(q.paper_item_id) ? " marked" : "") + (i === current ? " current" : "");
      b.dataset.state = q.answer || local[q.paper_item_id] ? saveState(q.paper_item_id) : "empty";
      b.title = "第" + q.number + "题 " + (q.answer ? "已答" : "未答") + (marked.has(q.paper_item_id) ? " · 待复查" : "");
    });
    pal.children[current].scrollIntoView({block: "nearest"});
    $("progress").textContent = "已答 " + answered + " / " + questions.length;
    const n = Object.keys(local).length;
    $("sync").dataset.pending = String(n);
    $("sync").textContent = n ? n + " 题答案尚未保存到服务器，网络恢复后自动补传。" : "全部答案已保存到服务器。";
  }

  function go(i) {
    if (i < 0 || i >= questions.length) return;
    current = i;
    keep(k("at"), i);
    render();
  }

  function tick() {
    if (!state) return;
    const running = status === "running";
    const left = Math.max(0, Math.round(clockLeft - (running ? (performance.now() - clockAt) / 1000 : 0)));
    const h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    $("clock").textContent = (h ? h + ":" : "") + String(m).padStart(h ? 2 : 1, "0") + ":" + String(s).padStart(2, "0");
    $("clock-box").classList.toggle("low", left <= 900);
    if (running && left === 0) refresh(); // the server hands in at the end
  }

  // Controls -----------------------------------------------------------------------------------------------
  $("prev").addEventListener("click", () => go(current - 1));
  $("next").addEventListener("click", () => go(current + 1));
  $("mark").addEventListener("click", () => {
    const m = marks(), id = questions[current].paper_item_id;
    m.has(id) ? m.delete(id) : m.add(id);
    keep(k("marks"), [...m]);
    render();
  });
  const font = (d) => {
    const size = Math.min(1.6, Math.max(0.9, (load("kaowu.cbt.font", 1.1) * 10 + d) / 10));
    keep("kaowu.cbt.font", size);
    document.documentElement.style.setProperty("--cbt-font", size + "rem");
  };
  $("font-down").addEventListener("click", () => font(-1));
  $("font-up").addEventListener("click", () => font(1));
  font(0);

  document.addEventListener("keydown", (e) => {
    if ($("exam").hidden || e.ctrlKey || e.metaKey || e.altKey || e.target.matches("input, textarea")) return;
    const q = questions[current];
    if (e.key === "ArrowLeft") { go(current - 1); e.preventDefault(); return; }
    if (e.key === "ArrowRight") { go(current + 1); e.preventDefault(); return; }
    const key = e.key.toUpperCase();
    const i = key >= "1" && key <= "8" ? Number(key) - 1 : LETTERS.indexOf(key);
    const options = q && (q.kind === "judge" ? JUDGE : q.options);
    if (key.length === 1 && i >= 0 && options && i < options.length) { choose(options[i].key); e.preventDefault(); }
  });

  $("hand-in").addEventListener("click", async () => {
    const left = Object.keys(pending()).length;
    if (left) { flush(); return notice("还有 " + left + " 题答案未保存到服务器，请等待网络恢复、全部显示“已保存”后再交卷。"); }
    const blank = questions.filter((q) => !q.answer).length;
    const marked = marks().size;
    const text = "确认交卷？" + (blank ? "还有 " + blank + " 题未作答。" : "全部题目已作答。") +
      (marked ? "有 " + marked + " 题标记为待复查。" : "") + "交卷后不能再修改答案。";
    if (!window.confirm(text)) return;
    try {
      const r = await call("POST", "/attempt/hand-in");
      if (r.status === 200) { notice(""); refresh(); }
      else notice(r.body.message || "暂不能交卷。");
    } catch (e) { notice("网络未连接，暂不能交卷，请稍后再试。"); }
  });

  // What the seat reports: recorded for the proctor, never punished by the page.
  const report = (kind, data) => { if (seat && status === "running") call("POST", "/attempt/events", {kind, data}).catch(() => {}); };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") report("focus_lost", {}); });
  document.addEventListener("paste", () => report("paste", {paper_item_id: questions[current] ? questions[current].paper_item_id : null}));

  $("notice").addEventListener("click", () => notice(""));
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  setInterval(refresh, 30000);
  setInterval(tick, 1000);

  if (seat) refresh(); else { show("sign-in"); box.dataset.ready = "1"; }
  setInterval(() => { if (state && status !== "running" && status !== "handed_in") refresh(); }, 5000);
})();
