// The home page's "오늘의 과거" link goes to the index of the 366 days; with scripts on, it
// goes straight to the reader's own date (the pages exist for every day, 02-29 too).
(function () {
  var link = document.querySelector("a[data-otd]");
  if (!link) return;
  var now = new Date(), m = now.getMonth() + 1, d = now.getDate();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  link.href = link.getAttribute("href") + pad(m) + "-" + pad(d) + "/";
  link.textContent = "오늘의 과거 (" + m + "월 " + d + "일)";
})();
