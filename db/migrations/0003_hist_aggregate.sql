-- Sums latency histograms across rows (windows longer than one rollup bucket).
CREATE AGGREGATE perigee_hist_sum(integer[]) (
  SFUNC = perigee_hist_add,
  STYPE = integer[],
  INITCOND = '{}'
);
