/** Every browser tool, in the order `tools/list` shows them. */
import { browserBack } from './browser-back.js';
import { browserClick } from './browser-click.js';
import { browserCreate } from './browser-create.js';
import { browserDestroy } from './browser-destroy.js';
import { browserFill } from './browser-fill.js';
import { browserList } from './browser-list.js';
import { browserNavigate } from './browser-navigate.js';
import { browserPress } from './browser-press.js';
import { browserScreenshot } from './browser-screenshot.js';
import { browserSnapshot } from './browser-snapshot.js';

export const browserTools = [
  browserCreate,
  browserNavigate,
  browserSnapshot,
  browserClick,
  browserFill,
  browserPress,
  browserScreenshot,
  browserBack,
  browserDestroy,
  browserList,
];
