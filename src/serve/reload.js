// kenkomap serve: reloads the page once the site has been rebuilt.
//
// A file rather than an inline script, so that served pages keep the Content-Security-Policy
// of the built site (script-src 'self'); a long poll rather than an event stream, so that
// every request ends within the server's request timeout.
(() => {
  const script = document.currentScript;
  let since = (script && script.dataset.since) || "";
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const poll = async () => {
    for (;;) {
      try {
        const url = "/__kenkomap/reload?since=" + encodeURIComponent(since);
        const response = await fetch(url, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const token = (await response.text()).trim();
        // The token changes with every rebuild (and every restart of the server).
        if (since && token !== since) {
          location.reload();
          return;
        }
        since = token;
      } catch (_) {
        // The server is restarting or gone: ask again shortly.
        await pause(1000);
      }
    }
  };
  poll();
})();
