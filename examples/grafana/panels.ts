/**
 * Panel and variable builders of the pgactive-tools Grafana dashboard (examples/grafana/build.ts),
 * typed with Grafana's schema types (@grafana/schema 13.2.3). Each builder types the options and
 * the custom field config with the panel type's own types before they become plain JSON.
 */
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  type DataSourceRef,
  type DataTransformerConfig,
  GraphDrawStyle,
  LegendDisplayMode,
  MappingType,
  type Panel,
  PercentChangeColorMode,
  SortOrder,
  TableCellHeight,
  type ThresholdsConfig,
  ThresholdsMode,
  TooltipDisplayMode,
  type ValueMapping,
  VariableHide,
  type VariableModel,
  VariableRefresh,
  VariableSort,
  VisibilityMode,
  type VizLegendOptions,
  VizOrientation,
  type VizTooltipOptions,
} from "@grafana/schema";
import type * as Stat from "@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen";
import type * as Timeline from "@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen";
import type * as History from "@grafana/schema/dist/esm/raw/composable/statushistory/panelcfg/x/StatusHistoryPanelCfg_types.gen";
import type * as Table from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";
import type * as Series from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";

/** Every panel and query uses the Prometheus chosen in the `datasource` variable. */
export const DS: DataSourceRef = { type: "prometheus", uid: "${datasource}" };
/** The pgactive-server chosen in the `instance` variable. */
export const I = 'instance=~"$instance"';

/** One PromQL query of a panel. */
export interface Query {
  expr: string;
  legend?: string;
}

/** Where a panel sits (24 columns) and what it shows; options and field config come per type. */
export interface Common {
  title: string;
  description: string;
  /** [x, y, w, h] */
  at: [number, number, number, number];
  queries: Query[];
  unit?: string;
  mappings?: ValueMapping[];
  thresholds?: ThresholdsConfig;
  transformations?: DataTransformerConfig[];
}

export const STATUS: ValueMapping[] = [{
  type: MappingType.ValueToText,
  options: {
    "0": { text: "UNKNOWN", color: "text", index: 0 },
    "1": { text: "HEALTHY", color: "green", index: 1 },
    "2": { text: "DEGRADED", color: "yellow", index: 2 },
    "3": { text: "CRITICAL", color: "orange", index: 3 },
    "4": { text: "DOWN", color: "dark-red", index: 4 },
  },
}];
export const WALSENDER: ValueMapping[] = [{
  type: MappingType.ValueToText,
  options: {
    "0": { text: "inactive", color: "red", index: 0 },
    "1": { text: "active", color: "green", index: 1 },
  },
}];

/** thresholds("green", 5, "yellow", 15, "red"): a base colour, then value/colour pairs. */
export function thresholds(base: string, ...steps: (number | string)[]): ThresholdsConfig {
  const out = [{ color: base, value: null as number | null }];
  for (let i = 0; i < steps.length; i += 2) {
    out.push({ value: steps[i] as number, color: steps[i + 1] as string });
  }
  return { mode: ThresholdsMode.Absolute, steps: out };
}

export const LAG = thresholds("green", 5, "yellow", 15, "red");
export const LEGEND: VizLegendOptions = {
  showLegend: true,
  displayMode: LegendDisplayMode.List,
  placement: "bottom",
  calcs: [],
};
export const NO_LEGEND: VizLegendOptions = { ...LEGEND, showLegend: false };
export const TOOLTIP: VizTooltipOptions = {
  mode: TooltipDisplayMode.Multi,
  sort: SortOrder.Descending,
};

/** A panel; `options` and `custom` were typed by the caller with the panel type's own types. */
function panel(
  type: string,
  c: Common,
  options: object,
  custom: object,
  instant: boolean,
): Panel {
  const [x, y, w, h] = c.at;
  return {
    type,
    title: c.title,
    description: c.description,
    datasource: DS,
    gridPos: { x, y, w, h },
    fieldConfig: {
      defaults: {
        ...(c.unit ? { unit: c.unit } : {}),
        ...(c.mappings ? { mappings: c.mappings } : {}),
        ...(c.thresholds ? { thresholds: c.thresholds } : {}),
        custom: { ...custom } as Record<string, unknown>,
      },
      overrides: [],
    },
    options: { ...options } as Record<string, unknown>,
    targets: c.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DS,
      expr: q.expr,
      legendFormat: q.legend ?? "",
      range: !instant,
      instant,
      ...(type === "table" ? { format: "table" } : {}),
    })),
    ...(c.transformations ? { transformations: c.transformations } : {}),
  };
}

export function stat(c: Common, o: Partial<Stat.Options> = {}): Panel {
  const options: Stat.Options = {
    reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
    orientation: VizOrientation.Auto,
    colorMode: BigValueColorMode.Background,
    graphMode: BigValueGraphMode.None,
    justifyMode: BigValueJustifyMode.Auto,
    textMode: BigValueTextMode.ValueAndName,
    percentChangeColorMode: PercentChangeColorMode.Standard,
    showPercentChange: false,
    wideLayout: true,
    ...o,
  };
  return panel("stat", c, options, {}, true);
}

export function timeline(c: Common): Panel {
  const options: Timeline.Options = {
    showValue: VisibilityMode.Never,
    mergeValues: true,
    rowHeight: 0.9,
    legend: NO_LEGEND,
    tooltip: TOOLTIP,
  };
  const custom: Timeline.FieldConfig = { fillOpacity: 80, lineWidth: 0 };
  return panel("state-timeline", c, options, custom, false);
}

export function history(c: Common): Panel {
  const options: History.Options = {
    showValue: VisibilityMode.Never,
    rowHeight: 0.9,
    legend: NO_LEGEND,
    tooltip: TOOLTIP,
  };
  const custom: History.FieldConfig = { fillOpacity: 80, lineWidth: 1 };
  return panel("status-history", c, options, custom, false);
}

export function table(c: Common, custom: Table.FieldConfig): Panel {
  const options: Table.Options = {
    showHeader: true,
    frameIndex: 0,
    cellHeight: TableCellHeight.Sm,
  };
  return panel("table", c, options, custom, true);
}

export function series(c: Common, custom: Series.FieldConfig = {}): Panel {
  const options: Series.Options = { legend: LEGEND, tooltip: TOOLTIP };
  const base: Series.FieldConfig = {
    drawStyle: GraphDrawStyle.Line,
    lineWidth: 1,
    fillOpacity: 10,
    showPoints: VisibilityMode.Never,
  };
  return panel("timeseries", c, options, { ...base, ...custom }, false);
}

export function variable(name: string, label: string, query: string, more: Partial<VariableModel>) {
  const v: VariableModel = {
    type: "query",
    name,
    label,
    datasource: DS,
    query: { query, refId: "PrometheusVariableQueryEditor-VariableQuery" },
    refresh: VariableRefresh.onTimeRangeChanged,
    sort: VariableSort.alphabeticalAsc,
    hide: VariableHide.dontHide,
    regex: "",
    options: [],
    ...more,
  };
  return v;
}
