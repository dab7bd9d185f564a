/** Every session-cart tool, in the order `tools/list` shows them. */
import { cartAddItem } from './cart-add-item.js';
import { cartGet } from './cart-get.js';
import { cartRemoveItem } from './cart-remove-item.js';
import type { Tool } from './tool.js';

export const sessionCartTools: Tool[] = [cartAddItem, cartRemoveItem, cartGet];
