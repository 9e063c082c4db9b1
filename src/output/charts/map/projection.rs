//! The Equal Earth projection (Šavrič, Patterson & Jenny 2018), which world maps use: an
//! equal-area pseudocylindrical projection, so a state's area on the map is proportional to
//! its area on the globe and large high-latitude states do not dominate the picture.
//!
//! On the unit sphere, for longitude λ and latitude φ (radians), with θ the parametric
//! latitude `sin θ = (√3 / 2) sin φ`:
//!
//! ```text
//! x = 2√3 λ cos θ / (3 (9 A4 θ⁸ + 7 A3 θ⁶ + 3 A2 θ² + A1))
//! y = A4 θ⁹ + A3 θ⁷ + A2 θ³ + A1 θ
//! A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796
//! ```
//!
//! Source: B. Šavrič, T. Patterson and B. Jenny, "The Equal Earth map projection",
//! International Journal of Geographical Information Science 33(3), 454-465 (2019,
//! online 2018), doi:10.1080/13658816.2018.1504949, equations 1 and 2 and table 1.

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// `√3 / 2`.
const M: f64 = 0.866_025_403_784_438_6;

/// The projected position `(x, y)` of longitude `lon` and latitude `lat` in degrees; `y`
/// grows northwards. `x` lies in `[-X_MAX, X_MAX]`.
pub fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    let lambda = lon.to_radians();
    let theta = (M * lat.to_radians().sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = 2.0 * 3f64.sqrt() * lambda * theta.cos()
        / (3.0 * (9.0 * A4 * t6 * t2 + 7.0 * A3 * t6 + 3.0 * A2 * t2 + A1));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Half the width of the projected world: `x` at the equator and 180°.
pub const X_MAX: f64 = 2.706_629_983_696_074;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_matches_its_published_extent_and_symmetry() {
        let (x, y) = equal_earth(180.0, 0.0);
        assert!((x - X_MAX).abs() < 1e-12, "x(180, 0) = {x}");
        assert_eq!(y, 0.0);
        // At the pole θ = π/3: y = A1 θ + A2 θ³ + A3 θ⁷ + A4 θ⁹ = 1.3173627...
        let (x, y) = equal_earth(180.0, 90.0);
        assert!((y - 1.317_362_759_157_4).abs() < 1e-9, "y at the pole {y}");
        assert!(
            x > 0.0 && x < X_MAX,
            "the pole line is shorter than the equator"
        );
        let (a, b) = (equal_earth(-40.0, -30.0), equal_earth(40.0, 30.0));
        assert!((a.0 + b.0).abs() < 1e-15 && (a.1 + b.1).abs() < 1e-15);
    }

    #[test]
    fn equal_areas_on_the_globe_are_equal_on_the_map() {
        // A 10° x 10° cell has area ∝ sin(φ2) - sin(φ1); its image is a trapezoid (parallels
        // are straight lines, meridians curve slightly: split it finely).
        let cell = |lat: f64| {
            let n = 200;
            let mut area = 0.0;
            for k in 0..n {
                let (p0, p1) = (
                    lat + 10.0 * k as f64 / n as f64,
                    lat + 10.0 * (k + 1) as f64 / n as f64,
                );
                let (a, b) = (equal_earth(0.0, p0), equal_earth(10.0, p0));
                let (c, d) = (equal_earth(0.0, p1), equal_earth(10.0, p1));
                area += 0.5 * ((b.0 - a.0) + (d.0 - c.0)) * (c.1 - a.1);
            }
            area / ((lat + 10.0).to_radians().sin() - lat.to_radians().sin())
        };
        let (equator, north) = (cell(0.0), cell(60.0));
        assert!(
            ((north - equator) / equator).abs() < 1e-3,
            "area per unit of sphere differs: {equator} vs {north}"
        );
    }
}
