/** Frames: WGS84 geodesy, TEME → Earth-fixed, topocentric look angles, Sun/Moon, Earth shadow. */
export * from './geodesy.ts';
export * from './earth-rotation.ts';
export * from './look.ts';
export * from './sun-moon.ts';
export * from './shadow.ts';
export * from './sky-cache.ts';
export * from './refraction.ts';
