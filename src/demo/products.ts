/**
 * Categories, warehouses and the core assortment: 61 SKUs on 68 listings (a few SKUs are sold in
 * two stores, as sellers do: the Malaysian range on Shopee and Lazada, the hero utensil set on
 * Amazon, TikTok Shop and Walmart). Three listings carry the story: a tumbler that runs out of
 * stock every cycle, a night light kept on a weekly short leash, and Christmas lights that sit.
 */

/** Where stock sits and what it costs there, in the currency of the stores it serves. */
export interface DemoWarehouse {
  id: string;
  name: string;
  type: 'fba' | 'platform' | '3pl';
  storeId: string | null;
  capacityM3: number;
  channel: 'fba' | 'platform' | '3pl';
  /** Fulfilment fee per unit = base + perM3 × unit volume. */
  fulfilBase: number;
  fulfilPerM3: number;
  /** Storage per m³ and month: Jan–Sep, Oct–Dec, and the aged surcharge past 180 days. */
  storage: number;
  storageQ4: number;
  aged: number;
  leadTimeDays: number;
  targetCoverDays: number;
  cycleDays: number;
  transitDays: number;
}

const wh = (w: DemoWarehouse) => w;

export const WAREHOUSES: DemoWarehouse[] = [
  wh({ id: 'fba-us-main', name: 'FBA 美国 us-main', type: 'fba', storeId: 'us-main', capacityM3: 75, channel: 'fba', fulfilBase: 3.0, fulfilPerM3: 450, storage: 27.5, storageQ4: 84.7, aged: 53, leadTimeDays: 55, targetCoverDays: 45, cycleDays: 42, transitDays: 32 }),
  wh({ id: 'fba-us-outlet', name: 'FBA 美国 us-outlet', type: 'fba', storeId: 'us-outlet', capacityM3: 22, channel: 'fba', fulfilBase: 3.0, fulfilPerM3: 450, storage: 27.5, storageQ4: 84.7, aged: 53, leadTimeDays: 55, targetCoverDays: 40, cycleDays: 42, transitDays: 32 }),
  wh({ id: 'fba-de', name: 'FBA 德国', type: 'fba', storeId: 'de-main', capacityM3: 16, channel: 'fba', fulfilBase: 2.7, fulfilPerM3: 400, storage: 26, storageQ4: 36, aged: 40, leadTimeDays: 60, targetCoverDays: 45, cycleDays: 42, transitDays: 38 }),
  wh({ id: 'fba-jp', name: 'FBA 日本', type: 'fba', storeId: 'jp-main', capacityM3: 16, channel: 'fba', fulfilBase: 290, fulfilPerM3: 60000, storage: 5100, storageQ4: 9000, aged: 8000, leadTimeDays: 35, targetCoverDays: 40, cycleDays: 35, transitDays: 14 }),
  wh({ id: 'wfs-us', name: 'Walmart WFS', type: 'platform', storeId: 'walmart-us', capacityM3: 25, channel: 'platform', fulfilBase: 3.2, fulfilPerM3: 450, storage: 26, storageQ4: 78, aged: 0, leadTimeDays: 55, targetCoverDays: 40, cycleDays: 42, transitDays: 32 }),
  wh({ id: 'fbl-my', name: 'Lazada FBL 吉隆坡', type: 'platform', storeId: 'lazada-my', capacityM3: 10, channel: 'platform', fulfilBase: 2.8, fulfilPerM3: 300, storage: 40, storageQ4: 40, aged: 0, leadTimeDays: 25, targetCoverDays: 30, cycleDays: 28, transitDays: 12 }),
  wh({ id: '3pl-la', name: '洛杉矶海外仓 3PL', type: '3pl', storeId: null, capacityM3: 55, channel: '3pl', fulfilBase: 7.0, fulfilPerM3: 300, storage: 18, storageQ4: 18, aged: 0, leadTimeDays: 50, targetCoverDays: 40, cycleDays: 42, transitDays: 30 }),
  wh({ id: '3pl-sg', name: '新加坡海外仓 3PL', type: '3pl', storeId: null, capacityM3: 12, channel: '3pl', fulfilBase: 1.8, fulfilPerM3: 150, storage: 30, storageQ4: 30, aged: 0, leadTimeDays: 25, targetCoverDays: 30, cycleDays: 28, transitDays: 12 }),
  wh({ id: '3pl-kl', name: '吉隆坡海外仓 3PL', type: '3pl', storeId: null, capacityM3: 16, channel: '3pl', fulfilBase: 3.0, fulfilPerM3: 300, storage: 45, storageQ4: 45, aged: 0, leadTimeDays: 25, targetCoverDays: 30, cycleDays: 28, transitDays: 12 }),
];

export const WAREHOUSE_BY_ID = new Map(WAREHOUSES.map((w) => [w.id, w]));

/** The warehouse a store ships from unless a listing says otherwise. */
export const HOME_WAREHOUSE: Record<string, string> = {
  'us-main': 'fba-us-main', 'us-outlet': 'fba-us-outlet', 'de-main': 'fba-de', 'jp-main': 'fba-jp', 'shopee-sg': '3pl-sg',
  'shopee-my': '3pl-kl', 'lazada-my': 'fbl-my', 'tiktok-us': '3pl-la', 'shopify-dtc': '3pl-la', 'walmart-us': 'wfs-us',
};

/** Category tree; `path` is the slash-wrapped chain of ids (schema: categories.path). */
export const CATEGORIES = [
  { id: 'home', name: '家居', nameEn: 'Home', parent: null },
  { id: 'kitchen', name: '厨房用品', nameEn: 'Kitchen', parent: 'home' },
  { id: 'storage', name: '收纳整理', nameEn: 'Storage', parent: 'home' },
  { id: 'lighting', name: '灯具照明', nameEn: 'Lighting', parent: 'home' },
  { id: 'electronics', name: '3C数码', nameEn: 'Electronics', parent: null },
  { id: 'phone-acc', name: '手机配件', nameEn: 'Phone accessories', parent: 'electronics' },
  { id: 'outdoor', name: '户外运动', nameEn: 'Outdoor', parent: null },
  { id: 'camping', name: '露营装备', nameEn: 'Camping', parent: 'outdoor' },
  { id: 'pets', name: '宠物用品', nameEn: 'Pet supplies', parent: null },
  { id: 'beauty', name: '美妆个护', nameEn: 'Beauty & personal care', parent: null },
  { id: 'apparel', name: '服饰', nameEn: 'Apparel', parent: null },
  { id: 'womens', name: '女装', nameEn: "Women's", parent: 'apparel' },
] as const;

export function categoryRows(ws: string): Record<string, unknown>[] {
  return CATEGORIES.map((c) => ({
    workspace_id: ws, id: c.id, name: c.name, name_en: c.nameEn, parent_id: c.parent,
    path: c.parent ? `/${c.parent}/${c.id}/` : `/${c.id}/`,
  }));
}

/** What a listing's stock does: the normal order-up-to cycle or one of the story's patterns. */
export type StockRole = 'normal' | 'stockout' | 'lowcover' | 'slow';

/** One SKU on sale in one store. Money in the store's currency; list prices include tax where the store's do. */
export interface CoreListing {
  store: string;
  sku: string;
  name: string;
  category: string;
  parent: string | null;
  price: number;
  unitCost: number;
  /** Mature daily units before week, season and promotions. */
  rate: number;
  volumeM3: number;
  returnRate: number;
  role: StockRole;
  warehouse?: string;
}

type Tuple = [store: string, sku: string, name: string, category: string, parent: string | null, price: number, cost: number, rate: number, volume: number, returns: number, role?: StockRole, warehouse?: string];

const CORE: Tuple[] = [
  ['us-main', 'US-KT-001', '硅胶厨具12件套 Silicone Cooking Utensil Set', 'kitchen', 'SPU-UTENSIL', 29.99, 6.4, 36, 0.004, 0.04],
  ['us-main', 'US-KT-002', '不锈钢保温杯 20oz Insulated Tumbler', 'kitchen', 'SPU-TUMBLER', 24.99, 5.1, 26, 0.003, 0.03, 'stockout'],
  ['us-main', 'US-KT-003', '旋转调料架 Rotating Spice Rack', 'kitchen', null, 32.99, 8.2, 12, 0.009, 0.05],
  ['us-main', 'US-KT-004', '竹制砧板三件套 Bamboo Cutting Board Set', 'kitchen', null, 27.99, 6.9, 14, 0.006, 0.03],
  ['us-main', 'US-ST-001', '真空压缩收纳袋8只装 Vacuum Storage Bags 8-Pack', 'storage', 'SPU-VACUUM', 27.99, 5.8, 18, 0.005, 0.05],
  ['us-main', 'US-LT-001', 'LED人体感应夜灯3只装 Motion Sensor Night Light', 'lighting', 'SPU-NIGHTLIGHT', 19.99, 4.1, 22, 0.002, 0.04, 'lowcover'],
  ['us-main', 'US-LT-002', '圣诞灯串100ft Christmas String Lights', 'lighting', null, 25.99, 5.6, 1.2, 0.005, 0.06, 'slow'],
  ['us-main', 'US-PA-001', '磁吸车载手机支架 Magnetic Car Phone Mount', 'phone-acc', 'SPU-CARMOUNT', 21.99, 3.9, 20, 0.001, 0.05],
  ['us-main', 'US-PA-002', 'USB-C快充线3条装 USB-C Cable 3-Pack', 'phone-acc', 'SPU-CABLE', 13.99, 2.2, 34, 0.0006, 0.04],
  ['us-main', 'US-PT-001', '宠物除毛手套 Pet Grooming Glove', 'pets', null, 14.99, 2.6, 16, 0.001, 0.06],
  ['us-main', 'US-OD-001', '充电露营灯 Rechargeable Camping Lantern', 'camping', 'SPU-LANTERN', 34.99, 8.8, 9, 0.004, 0.04],
  ['us-main', 'US-BT-001', '电动洗脸刷 Electric Facial Cleansing Brush', 'beauty', 'SPU-FACEBRUSH', 29.99, 6.5, 11, 0.002, 0.07],
  ['us-outlet', 'US-KT-101', '硅胶烘焙垫（二等品）Silicone Baking Mat, Renewed', 'kitchen', null, 12.99, 3.1, 9, 0.003, 0.08],
  ['us-outlet', 'US-ST-101', '衣柜收纳盒 Closet Organizer Bins', 'storage', null, 22.99, 6.2, 6, 0.012, 0.06],
  ['us-outlet', 'US-LT-101', '太阳能庭院灯8只装 Solar Garden Lights', 'lighting', null, 26.99, 7.1, 7, 0.008, 0.07],
  ['us-outlet', 'US-PA-101', '无线充电板 Wireless Charging Pad', 'phone-acc', null, 11.99, 3.0, 10, 0.001, 0.08],
  ['us-outlet', 'US-PT-101', '猫玩具套装 Cat Toys Variety Pack', 'pets', null, 13.99, 2.8, 8, 0.002, 0.05],
  ['us-outlet', 'US-OD-101', '折叠露营凳 Folding Camping Stool', 'camping', null, 19.99, 5.9, 4, 0.02, 0.05],
  ['de-main', 'DE-KT-001', 'Silikon Küchenhelfer-Set 硅胶厨具套装', 'kitchen', 'SPU-UTENSIL', 29.99, 5.4, 16, 0.004, 0.06],
  ['de-main', 'DE-KT-002', 'Edelstahl Thermobecher 保温杯', 'kitchen', 'SPU-TUMBLER', 24.99, 4.6, 12, 0.003, 0.05],
  ['de-main', 'DE-ST-001', 'Vakuumbeutel 8er 真空收纳袋', 'storage', 'SPU-VACUUM', 26.99, 5.2, 10, 0.005, 0.07],
  ['de-main', 'DE-LT-001', 'LED Nachtlicht Bewegungsmelder 感应夜灯', 'lighting', 'SPU-NIGHTLIGHT', 19.99, 3.7, 11, 0.002, 0.06],
  ['de-main', 'DE-PA-001', 'Handyhalterung Auto 车载支架', 'phone-acc', 'SPU-CARMOUNT', 19.99, 3.5, 9, 0.001, 0.07],
  ['de-main', 'DE-PT-001', 'Fellpflegehandschuh 宠物除毛手套', 'pets', null, 13.99, 2.3, 7, 0.001, 0.08],
  ['de-main', 'DE-OD-001', 'Campinglaterne 露营灯', 'camping', 'SPU-LANTERN', 32.99, 7.9, 5, 0.004, 0.05],
  ['jp-main', 'JP-KT-001', 'シリコン調理器具セット 硅胶厨具套装', 'kitchen', 'SPU-UTENSIL', 3480, 680, 14, 0.004, 0.02],
  ['jp-main', 'JP-KT-002', '真空断熱タンブラー 保温杯', 'kitchen', 'SPU-TUMBLER', 2680, 520, 11, 0.003, 0.02],
  ['jp-main', 'JP-ST-001', '衣類圧縮袋 压缩袋', 'storage', 'SPU-VACUUM', 2280, 450, 9, 0.005, 0.03],
  ['jp-main', 'JP-PA-001', '車載スマホホルダー 车载支架', 'phone-acc', 'SPU-CARMOUNT', 1980, 360, 10, 0.001, 0.03],
  ['jp-main', 'JP-PA-002', 'USB-Cケーブル3本 快充线', 'phone-acc', 'SPU-CABLE', 1280, 200, 18, 0.0006, 0.02],
  ['jp-main', 'JP-BT-001', '電動洗顔ブラシ 洗脸刷', 'beauty', 'SPU-FACEBRUSH', 3980, 760, 7, 0.002, 0.03],
  ['shopee-sg', 'SG-KT-001', 'Silicone Utensil Set 硅胶厨具套装', 'kitchen', 'SPU-UTENSIL', 22.9, 5.1, 14, 0.004, 0.03],
  ['shopee-sg', 'SG-ST-001', 'Vacuum Storage Bags 真空收纳袋', 'storage', 'SPU-VACUUM', 18.9, 3.9, 11, 0.005, 0.03],
  ['shopee-sg', 'SG-PA-001', 'Car Phone Holder 车载支架', 'phone-acc', 'SPU-CARMOUNT', 12.9, 2.4, 12, 0.001, 0.04],
  ['shopee-sg', 'SG-PA-002', 'USB-C Fast Charging Cable 快充线', 'phone-acc', 'SPU-CABLE', 8.9, 1.3, 22, 0.0006, 0.03],
  ['shopee-sg', 'SG-BT-001', 'Facial Cleansing Brush 洗脸刷', 'beauty', 'SPU-FACEBRUSH', 29.9, 6.4, 8, 0.002, 0.04],
  ['shopee-sg', 'SG-AP-001', 'Ice Silk Arm Sleeves 冰丝袖套', 'apparel', null, 9.9, 1.6, 16, 0.0005, 0.05],
  ['shopee-my', 'MY-KT-001', 'Set Senduk Silikon 硅胶厨具套装', 'kitchen', 'SPU-UTENSIL', 49.9, 15.5, 20, 0.004, 0.03],
  ['shopee-my', 'MY-ST-001', 'Beg Vakum Simpanan 真空收纳袋', 'storage', 'SPU-VACUUM', 39.9, 12.4, 14, 0.005, 0.04],
  ['shopee-my', 'MY-PA-001', 'Pemegang Telefon Kereta 车载支架', 'phone-acc', 'SPU-CARMOUNT', 25.9, 7.9, 18, 0.001, 0.04],
  ['shopee-my', 'MY-BT-001', 'Berus Pencuci Muka 洗脸刷', 'beauty', 'SPU-FACEBRUSH', 59.9, 18.5, 9, 0.002, 0.05],
  ['shopee-my', 'MY-AP-002', 'Legging Sukan Wanita 运动紧身裤', 'womens', null, 39.9, 11.2, 15, 0.001, 0.09],
  ['shopee-my', 'MY-AP-001', 'Sarung Lengan Ais 冰丝袖套', 'apparel', null, 15.9, 4.6, 22, 0.0005, 0.05],
  ['lazada-my', 'MY-KT-001', 'Set Senduk Silikon 硅胶厨具套装', 'kitchen', 'SPU-UTENSIL', 49.9, 15.5, 12, 0.004, 0.03],
  ['lazada-my', 'MY-ST-001', 'Beg Vakum Simpanan 真空收纳袋', 'storage', 'SPU-VACUUM', 39.9, 12.4, 9, 0.005, 0.04],
  ['lazada-my', 'MY-PA-001', 'Pemegang Telefon Kereta 车载支架', 'phone-acc', 'SPU-CARMOUNT', 25.9, 7.9, 11, 0.001, 0.04],
  ['lazada-my', 'MY-BT-001', 'Berus Pencuci Muka 洗脸刷', 'beauty', 'SPU-FACEBRUSH', 59.9, 18.5, 7, 0.002, 0.05],
  ['lazada-my', 'MY-AP-002', 'Legging Sukan Wanita 运动紧身裤', 'womens', null, 39.9, 11.2, 10, 0.001, 0.09],
  ['lazada-my', 'LZ-HM-001', 'Bakul Rotan 藤编收纳篮', 'storage', null, 45.9, 11.2, 6, 0.01, 0.04],
  ['lazada-my', 'LZ-PT-001', 'Pancutan Air Kucing 宠物饮水机', 'pets', null, 69.9, 16.5, 5, 0.004, 0.05],
  ['tiktok-us', 'TT-BT-001', 'LED美容面罩 LED Face Mask', 'beauty', null, 39.99, 8.5, 18, 0.003, 0.08],
  ['tiktok-us', 'TT-BT-002', '无热卷发棒 Heatless Hair Curler', 'beauty', null, 17.99, 2.4, 30, 0.001, 0.07],
  ['tiktok-us', 'TT-KT-001', '迷你绞肉机 Mini Food Chopper', 'kitchen', null, 24.99, 5.6, 16, 0.003, 0.06],
  ['tiktok-us', 'TT-ST-001', '床底收纳袋 Under-Bed Storage Bags', 'storage', null, 29.99, 6.8, 10, 0.008, 0.05],
  ['tiktok-us', 'TT-LT-001', '日落氛围灯 Sunset Projection Lamp', 'lighting', null, 19.99, 3.8, 22, 0.002, 0.07],
  ['tiktok-us', 'TT-AP-001', '无痕塑身衣 Seamless Shapewear', 'womens', null, 29.99, 5.2, 20, 0.001, 0.12],
  ['tiktok-us', 'US-KT-001', '硅胶厨具12件套 Silicone Cooking Utensil Set', 'kitchen', 'SPU-UTENSIL', 27.99, 6.4, 10, 0.004, 0.05],
  ['shopify-dtc', 'DTC-KT-001', '主厨硅胶厨具礼盒 Chef Utensil Gift Box', 'kitchen', 'SPU-UTENSIL', 49, 9.8, 6, 0.006, 0.04],
  ['shopify-dtc', 'DTC-KT-002', '保温杯礼盒 Tumbler Gift Set', 'kitchen', 'SPU-TUMBLER', 39, 8.4, 5, 0.004, 0.04],
  ['shopify-dtc', 'DTC-LT-001', '智能夜灯 Smart Night Light', 'lighting', 'SPU-NIGHTLIGHT', 29, 5.9, 6, 0.002, 0.05],
  ['shopify-dtc', 'DTC-OD-001', '露营灯Pro Camping Lantern Pro', 'camping', 'SPU-LANTERN', 59, 14.2, 3, 0.005, 0.04],
  ['shopify-dtc', 'DTC-BT-001', '洗脸刷套装 Facial Brush Kit', 'beauty', 'SPU-FACEBRUSH', 45, 9.1, 4, 0.003, 0.06],
  ['walmart-us', 'WM-ST-001', '衣柜收纳盒6只装 Closet Organizer Bins', 'storage', null, 24.97, 6.3, 8, 0.012, 0.05],
  ['walmart-us', 'WM-PA-001', '车载手机支架 Car Phone Mount', 'phone-acc', 'SPU-CARMOUNT', 19.97, 3.6, 9, 0.001, 0.05],
  ['walmart-us', 'WM-PT-001', '宠物除毛滚筒 Pet Hair Remover Roller', 'pets', null, 16.97, 2.9, 11, 0.001, 0.04],
  ['walmart-us', 'WM-OD-001', '折叠露营椅 Folding Camping Chair', 'camping', null, 39.97, 12.4, 4, 0.025, 0.05],
  ['walmart-us', 'WM-KT-001', '不锈钢厨具套装 Stainless Kitchen Utensil Set', 'kitchen', null, 26.97, 6.1, 7, 0.005, 0.04],
  ['walmart-us', 'US-KT-001', '硅胶厨具12件套 Silicone Cooking Utensil Set', 'kitchen', 'SPU-UTENSIL', 28.97, 6.4, 6, 0.004, 0.04, 'normal', '3pl-la'],
];

export const CORE_LISTINGS: CoreListing[] = CORE.map(
  ([store, sku, name, category, parent, price, unitCost, rate, volumeM3, returnRate, role, warehouse]) => ({
    store, sku, name, category, parent, price, unitCost, rate, volumeM3, returnRate, role: role ?? 'normal', warehouse,
  }),
);

/** The story's special listings, by role (exported for the story and its tests). */
export function coreListingWithRole(role: Exclude<StockRole, 'normal'>): CoreListing {
  return CORE_LISTINGS.find((l) => l.role === role)!;
}
