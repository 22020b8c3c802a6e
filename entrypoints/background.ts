export default defineBackground(() => {
  // Chrome: clicking the toolbar icon opens the side panel.
  (browser as any).sidePanel?.setPanelBehavior?.({ openPanelOnActionClick: true });
});
