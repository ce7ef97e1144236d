// Optional enhancements: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Filter the people table while typing (the search button still asks the server).
  const search = document.querySelector("input[data-filter]");
  const table = search && document.getElementById(search.dataset.filter);
  if (table) {
    search.addEventListener("input", () => {
      const wanted = search.value.trim().toLowerCase();
      for (const row of table.querySelectorAll("tbody tr[data-name]")) {
        row.hidden = !row.dataset.name.includes(wanted);
      }
    });
  }
  // The print button of a young person's history: hidden until this script can press it
  // (an inline onclick would break the Content-Security-Policy).
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  // Ask before cancelling a meeting or an agreement.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
  // The workshop board: fetch the ideas every few seconds, unless the facilitator is busy
  // with one of them (an open form or a focused field); the Update link works without this.
  const board = document.querySelector("[data-poll]");
  if (board) {
    setInterval(async () => {
      const busy = board.querySelector("details[open]") || board.contains(document.activeElement);
      if (busy || document.hidden) return;
      const response = await fetch(board.dataset.poll, {credentials: "same-origin"});
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      const ideas = fresh.getElementById("ideas");
      if (ideas) board.innerHTML = ideas.innerHTML;
    }, 5000);
  }
});
