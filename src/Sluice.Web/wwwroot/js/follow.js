// Keeps the conversation scrolled to the newest text while an answer streams in, unless the reader has scrolled up
// to read something earlier (then it leaves the scroll position alone until they come back down).
(() => {
    const nearBottom = element => element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    let following = true;
    const attach = history => {
        history.addEventListener('scroll', () => { following = nearBottom(history); }, { passive: true });
        new MutationObserver(() => {
            if (following) {
                history.scrollTop = history.scrollHeight;
            }
        }).observe(history, { childList: true, subtree: true, characterData: true });
    };
    const waitForHistory = new MutationObserver(() => {
        const history = document.querySelector('.chat-history');
        if (history) {
            waitForHistory.disconnect();
            attach(history);
        }
    });
    waitForHistory.observe(document.body, { childList: true, subtree: true });
})();
