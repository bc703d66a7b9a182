import { env } from "@/server/env";

/** Where this install keeps its data (DATA_REGION). */
export function DataRegionCard() {
  return (
    <section className="card" aria-labelledby="data-region">
      <h2 id="data-region" style={{ marginTop: 0 }}>
        Data region
      </h2>
      <p>
        Your data is stored in <strong className="mono">{env().DATA_REGION}</strong>.
      </p>
    </section>
  );
}
