// The panel loads the rest of English (lib/i18n/messages/en-more.json) right after it starts; lib/ code under
// test (poster, blog, reminders) words things with it, so load it before every unit test file.
import { loadCatalogue } from '../../lib/i18n';

await loadCatalogue('en');
