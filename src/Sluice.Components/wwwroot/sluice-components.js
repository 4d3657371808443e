// Sluice.Components: the two things .NET cannot do by itself in the browser.

// One animation frame; the scheduler asks again only when there is new work.
export function requestFrame(target) {
  requestAnimationFrame(() => {
    try {
      target.invokeMethodAsync("OnFrame").catch(() => { /* page or circuit gone */ });
    } catch {
      // The scheduler was disposed.
    }
  });
}

// The copy button: the code block's raw text, never its HTML.
export function copyText(text) {
  return navigator.clipboard.writeText(text);
}
