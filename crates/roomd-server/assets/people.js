// The booking and edit forms' colleague search as one types: the matches (GET
// /app/people?q=) appear as ticks under the box, as the Find button would show them.
// Without script, the button does the same with a round trip.
(() => {
  const box = document.getElementById('who');
  const out = document.getElementById('who-results');
  if (!box || !out) return;
  let timer = 0;
  let asked = 0;
  const chosen = () => new Set([...document.querySelectorAll('input[name=attendee]:checked')].map((c) => c.value));
  const show = (people) => {
    const ticked = chosen();
    out.replaceChildren();
    for (const p of people.filter((p) => !ticked.has(p.id))) {
      const label = document.createElement('label');
      label.className = 'check';
      const tick = document.createElement('input');
      Object.assign(tick, { type: 'checkbox', name: 'attendee', value: p.id });
      const detail = document.createElement('small');
      detail.textContent = p.detail;
      label.append(tick, ` ${p.name} `, detail);
      out.append(label);
    }
    out.dataset.count = String(out.children.length);
  };
  box.addEventListener('input', () => {
    clearTimeout(timer);
    const text = box.value.trim();
    if (!text) { out.replaceChildren(); return; }
    timer = setTimeout(async () => {
      const mine = ++asked;
      const answer = await fetch(`/app/people?q=${encodeURIComponent(text)}`, { credentials: 'same-origin' });
      if (answer.ok && mine === asked) show(await answer.json());
    }, 250);
  });
})();
