/** Every cart tool, in the order `tools/list` shows them. */
import { cartAddItem } from './cart-add-item.js';
import { cartCheckout } from './cart-checkout.js';
import { cartCreate } from './cart-create.js';
import { cartDestroy } from './cart-destroy.js';
import { cartGet } from './cart-get.js';
import { cartGetProduct } from './cart-get-product.js';
import { cartList } from './cart-list.js';
import { cartRemoveItem } from './cart-remove-item.js';
import { cartSearchProducts } from './cart-search-products.js';
import { cartUpdateItem } from './cart-update-item.js';

export const cartTools = [
  cartSearchProducts,
  cartGetProduct,
  cartCreate,
  cartAddItem,
  cartUpdateItem,
  cartRemoveItem,
  cartGet,
  cartCheckout,
  cartDestroy,
  cartList,
];
