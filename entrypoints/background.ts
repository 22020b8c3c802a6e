import { CLIP_COMMAND, createMenus, menuTitles, onActionClick, onCommand, onMenuClick, onPanelMessage, refreshBadge } from '@/lib/ext/background';
import { clipNoticesItem, clipQueueItem } from '@/lib/ext/clip-queue';
import { highlightSettingsItem, syncHighlightScripts } from '@/lib/ext/highlights';
import { checkRhythm, listenForRhythm } from '@/lib/ext/rhythm';
import { languageItem } from '@/lib/ext/storage';
import { followLanguage } from '@/lib/ext/language';

export default defineBackground(() => {
  // lib/ messages (capture errors) follow the language chosen in Settings.
  void followLanguage().catch(() => {});
  const menus = () => void createMenus();
  browser.runtime.onInstalled.addListener(menus);
  browser.runtime.onStartup.addListener(menus);
  // A new language in Settings renames the menus at once.
  languageItem.watch(menus);
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClick(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void onCommand(command, tab));
  // Chrome opens the side panel from the icon; Firefox toggles its sidebar itself.
  browser.action?.onClicked.addListener(onActionClick);
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void onPanelMessage(message, sender).then(sendResponse);
    return true; // answer asynchronously
  });
  // Highlights run only on the sites allowed, while their permission lasts.
  const syncHighlights = () => void syncHighlightScripts().catch(() => {});
  browser.runtime.onInstalled.addListener(syncHighlights);
  browser.permissions.onAdded.addListener(syncHighlights);
  browser.permissions.onRemoved.addListener(syncHighlights);
  highlightSettingsItem.watch(syncHighlights);
  clipQueueItem.watch(() => void refreshBadge());
  clipNoticesItem.watch(() => void refreshBadge());
  // Daily reminders: quiet partnership, poster countdown.
  listenForRhythm();
  // A debugging handle (DevTools, end-to-end tests): the same handlers the browser calls.
  Object.assign(globalThis, { partnerNotebook: { onMenuClick, onCommand, CLIP_COMMAND, checkRhythm, menuTitles } });
});
