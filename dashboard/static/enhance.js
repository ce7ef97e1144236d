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
  // Ask before cancelling a meeting or an agreement.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});
