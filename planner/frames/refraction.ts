/**
 * Optional atmospheric refraction for the elevation mask (off by default): Sæmundsson's formula (apparent from
 * true altitude), scaled for pressure and temperature. Pressure from the station height by an isothermal
 * atmosphere (scale height 8.4 km), 10 °C unless given. Near 10° it lifts the satellite by ~0.09°, ~5 s of a pass.
 */
const DEG = Math.PI / 180;

export function standardPressureHpa(heightM: number): number {
  return 1010 * Math.exp(-heightM / 8434);
}

/** Refraction (degrees) to add to a geometric (true) elevation; 0 below −1° where the formula is meaningless. */
export function refractionDeg(trueElDeg: number, pressureHpa = 1010, temperatureC = 10): number {
  if (trueElDeg < -1) return 0;
  const rArcmin = 1.02 / Math.tan((trueElDeg + 10.3 / (trueElDeg + 5.11)) * DEG);
  return (rArcmin / 60) * (pressureHpa / 1010) * (283 / (273 + temperatureC));
}
