-- Shipped red-line defaults (glossary §3.4): Amazon's published account-health targets, Shopee's
-- penalty points. They are data, not code: workspace rows for the same (platform, marketplace,
-- metric) replace them, and each marketplace should be verified against the platform's pages.
INSERT INTO red_lines (workspace_id, platform, marketplace, metric_id, direction, amber, red, source) VALUES
  (NULL, 'amazon', NULL, 'odr', 'lower', 0.007, 0.01, 'Amazon account health: ODR < 1 %; amber 0.7 % (rec.)'),
  (NULL, 'amazon', NULL, 'cancel_rate', 'lower', NULL, 0.025, 'Amazon account health: pre-fulfilment cancel rate < 2.5 %'),
  (NULL, 'amazon', NULL, 'fulfillment_on_time_rate', 'higher', NULL, 0.96, 'Amazon account health: late shipment rate < 4 %'),
  (NULL, 'amazon', NULL, 'cs_response_24h_rate', 'higher', NULL, 0.90, 'Amazon: buyer messages answered within 24 h >= 90 %'),
  (NULL, 'shopee', NULL, 'account_health', 'lower', 3, 6, 'Shopee penalty points per quarter: amber >= 3, red >= 6');
