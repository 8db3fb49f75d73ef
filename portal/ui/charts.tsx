// Small dependency-free charts: horizontal bars for shares, stacked columns for time series.

export function BarList({ items, max }: { items: { label: string; value: number }[]; max?: number }) {
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  return (
    <div className="chart-bars" role="list">
      {items.map((item) => (
        <div className="bar-row" role="listitem" key={item.label} aria-label={`${item.label}: ${item.value}`}>
          <span>{item.label}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ display: "block", width: `${(item.value / top) * 100}%` }} />
          </span>
          <span className="bar-value">{item.value}</span>
        </div>
      ))}
    </div>
  );
}

export function StackedColumns({
  series,
  points,
  height = 160,
}: {
  series: { key: string; label: string; color: string }[];
  points: { label: string; values: Record<string, number> }[];
  height?: number;
}) {
  const totals = points.map((p) => series.reduce((s, k) => s + (p.values[k.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const width = 640;
  const gap = 6;
  const colW = (width - gap * (points.length + 1)) / Math.max(1, points.length);
  const chartH = height - 22;
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={series.map((s) => s.label).join(" / ")}>
        <line x1="0" x2={width} y1={chartH} y2={chartH} stroke="#e2e7ee" />
        {points.map((p, i) => {
          let y = chartH;
          const x = gap + i * (colW + gap);
          return (
            <g key={p.label}>
              {series.map((s) => {
                const v = p.values[s.key] ?? 0;
                const h = (v / max) * (chartH - 8);
                y -= h;
                return v > 0 ? (
                  <rect key={s.key} x={x} y={y} width={colW} height={h} rx="2" fill={s.color}>
                    <title>{`${p.label} ${s.label}: ${v}`}</title>
                  </rect>
                ) : null;
              })}
              {i % 2 === 0 ? (
                <text x={x + colW / 2} y={height - 6} fontSize="10" textAnchor="middle" fill="#5d6b7e">
                  {p.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
