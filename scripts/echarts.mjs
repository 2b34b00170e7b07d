// The ECharts the pages load: only the chart types and components charming's options use
// (the full echarts.min.js is 292 KiB brotli, most of it charts we never draw). Bundled by
// esbuild into public/vendor/echarts.min.js (`make npm`); exposes the same `window.echarts`.
// Adding a chart type or component to a Rust chart means adding it here (the browser tests draw
// every chart and would show the gap).
import * as echarts from 'echarts/core';
import { BarChart, CandlestickChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  CandlestickChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);
window.echarts = echarts;
