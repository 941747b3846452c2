/**
 * Built-in layouts of the seller ERPs and marketplaces our users export from (issue 30). Only the
 * columns we read are listed; extra columns in a file are ignored.
 *
 * Documented (header names read in published material):
 * - Seller Central "All Orders" flat file (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL):
 *   SP-API "Order tracking reports attributes" lists amazon-order-id, purchase-date, order-status,
 *   fulfillment-channel, sku, quantity, currency, item-price, item-tax, item-promotion-discount.
 * - TikTok Shop order export (Seller Center → Orders → Export): Order ID, Order Status, Seller SKU,
 *   Quantity, SKU Subtotal Before Discount, SKU Seller Discount, Taxes, Created Time, as listed by a
 *   published guide of the official export header.
 * Assumed (no public documentation found; common export headers, to be confirmed with a real file):
 * Shopee order export, 领星 LingXing, 店小秘, 积加, 马帮.
 */
import type { HeaderProfile } from './profile.ts';

export const BUILTIN_PROFILES: HeaderProfile[] = [
  {
    id: 'seller_central_orders',
    dataset: 'orders',
    label: { en: 'Amazon Seller Central – All Orders report', zh: '亚马逊卖家后台 – 所有订单报告' },
    origin: 'documented',
    reference: 'https://developer-docs.amazon.com/sp-api/docs/order-reports-attributes',
    columns: {
      order_id: ['amazon-order-id'], date: ['purchase-date'], order_status: ['order-status'], fulfillment_channel: ['fulfillment-channel'],
      sku_id: ['sku'], units_ordered: ['quantity'], currency: ['currency'], sales_amount: ['item-price'], tax_amount: ['item-tax'],
      discount_amount: ['item-promotion-discount'],
    },
  },
  {
    id: 'tiktok_shop_orders',
    dataset: 'orders',
    label: { en: 'TikTok Shop – order export', zh: 'TikTok Shop – 订单导出' },
    origin: 'documented',
    columns: {
      order_id: ['Order ID'], order_status: ['Order Status'], sku_id: ['Seller SKU'], units_ordered: ['Quantity'],
      sales_amount: ['SKU Subtotal Before Discount'], discount_amount: ['SKU Seller Discount'], tax_amount: ['Taxes'], date: ['Created Time'],
    },
    constants: { fulfillment_channel: 'platform' },
  },
  {
    id: 'shopee_orders',
    dataset: 'orders',
    label: { en: 'Shopee – order export', zh: 'Shopee – 订单导出' },
    origin: 'assumed',
    columns: {
      order_id: ['Order ID'], order_status: ['Order Status'], date: ['Order Creation Date'], sku_id: ['SKU Reference No.'],
      units_ordered: ['Quantity'], sales_amount: ['Product Subtotal'], discount_amount: ['Seller Rebate', 'Seller Discount'],
    },
    constants: { fulfillment_channel: 'platform' },
  },
  {
    id: 'lingxing_orders',
    dataset: 'orders',
    label: { en: 'LingXing – product sales statistics', zh: '领星 – 产品表现/销量统计' },
    origin: 'assumed',
    columns: {
      date: ['日期'], store_id: ['店铺'], sku_id: ['MSKU'], units_ordered: ['销量'], order_count: ['订单量'], sales_amount: ['销售额'],
      refund_amount: ['退款金额', '退款额'], units_returned: ['退货量'], sessions: ['Sessions', '会话数'], page_views: ['PV', '页面浏览量'],
    },
  },
  {
    id: 'lingxing_ads',
    dataset: 'ads',
    label: { en: 'LingXing – ad performance', zh: '领星 – 广告报表' },
    origin: 'assumed',
    columns: {
      date: ['日期'], store_id: ['店铺'], ad_platform: ['广告类型'], campaign_id: ['广告活动'], ad_group_id: ['广告组'], sku_id: ['MSKU'],
      impressions: ['曝光量'], clicks: ['点击'], spend: ['花费'], attributed_sales: ['广告销售额'], attributed_orders: ['广告订单量'],
    },
  },
  {
    id: 'lingxing_inventory',
    dataset: 'inventory',
    label: { en: 'LingXing – FBA inventory', zh: '领星 – FBA库存' },
    origin: 'assumed',
    columns: {
      snapshot_date: ['日期'], store_id: ['店铺'], sku_id: ['MSKU'], warehouse_id: ['仓库'], on_hand_units: ['总库存'],
      reserved_units: ['预留'], inbound_units: ['在途'], unfulfillable_units: ['不可售'],
    },
  },
  {
    id: 'dianxiaomi_orders',
    dataset: 'orders',
    label: { en: 'Dianxiaomi – order export', zh: '店小秘 – 订单导出' },
    origin: 'assumed',
    columns: {
      order_id: ['订单号'], store_id: ['店铺账号'], date: ['付款时间'], sku_id: ['SKU'], units_ordered: ['数量'],
      sales_amount: ['商品金额'], order_status: ['订单状态'], currency: ['币种'],
    },
  },
  {
    id: 'jijia_orders',
    dataset: 'orders',
    label: { en: 'Jijia – sales report', zh: '积加 – 销售报表' },
    origin: 'assumed',
    columns: {
      date: ['日期'], store_id: ['店铺'], sku_id: ['SKU'], units_ordered: ['销量'], order_count: ['订单数'], sales_amount: ['销售额'],
      refund_amount: ['退款金额'], platform_fees: ['平台费'], fulfillment_fees: ['FBA费'], cogs: ['采购成本'], first_leg_cost: ['头程费用'],
    },
  },
  {
    id: 'mabang_orders',
    dataset: 'orders',
    label: { en: 'Mabang – order export', zh: '马帮 – 订单导出' },
    origin: 'assumed',
    columns: {
      order_id: ['订单编号'], store_id: ['店铺名称'], date: ['付款时间'], sku_id: ['商品SKU'], units_ordered: ['商品数量'],
      sales_amount: ['商品总金额'], order_status: ['订单状态'], currency: ['币种'],
    },
  },
];
