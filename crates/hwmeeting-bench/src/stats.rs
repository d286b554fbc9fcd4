//! Medians, percentiles and the A/B interleaving every figure uses.

use std::time::Duration;

/// The median of `values` (the mean of the two middle ones for an even
/// count); `NaN` for none.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// The `p`-th percentile (0..=100) of `sorted` by the nearest-rank rule;
/// zero for none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Microseconds, as a float.
pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Milliseconds, as a float.
pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs `a` and `b` `runs` times each, alternating which goes first
/// (A B, B A, A B, ...) so that drifts of the machine hit both alike.
/// Returns their results in run order.
pub fn interleave<T, E>(
    runs: usize,
    mut a: impl FnMut(usize) -> Result<T, E>,
    mut b: impl FnMut(usize) -> Result<T, E>,
) -> Result<(Vec<T>, Vec<T>), E> {
    let mut out_a = Vec::with_capacity(runs);
    let mut out_b = Vec::with_capacity(runs);
    for run in 0..runs {
        if run.is_multiple_of(2) {
            out_a.push(a(run)?);
            out_b.push(b(run)?);
        } else {
            out_b.push(b(run)?);
            out_a.push(a(run)?);
        }
    }
    Ok((out_a, out_b))
}

/// A side of a comparison: a name and what one run of it does.
pub type Side<'a, T, E> = Box<dyn FnMut(usize) -> Result<T, E> + 'a>;

/// Runs every side `runs` times, rotating which goes first each run (A B C,
/// B C A, C A B, ...). Returns each side's results in run order.
pub fn rotate<T, E>(runs: usize, mut sides: Vec<Side<'_, T, E>>) -> Result<Vec<Vec<T>>, E> {
    let n = sides.len();
    let mut out: Vec<Vec<T>> = (0..n).map(|_| Vec::with_capacity(runs)).collect();
    for run in 0..runs {
        for k in 0..n {
            let side = (run + k) % n;
            out[side].push(sides[side](run)?);
        }
    }
    Ok(out)
}

/// What one run of sequential calls cost, per call.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PerCall {
    /// Wall time, microseconds.
    pub wall_us: f64,
    /// CPU time of the client side, microseconds.
    pub client_cpu_us: f64,
    /// CPU time of the in-process simulator, microseconds.
    pub sim_cpu_us: f64,
}

impl PerCall {
    /// Runs `calls` calls of `call` and divides what they cost.
    pub fn measure<E>(calls: usize, mut call: impl FnMut() -> Result<(), E>) -> Result<PerCall, E> {
        let cpu = crate::cpuacct::CpuMark::now();
        let started = std::time::Instant::now();
        for _ in 0..calls {
            call()?;
        }
        let wall = started.elapsed();
        Ok(PerCall::from_totals(calls, wall, cpu.spent()))
    }

    /// Totals divided by the number of calls.
    pub fn from_totals(calls: usize, wall: Duration, cpu: crate::cpuacct::CpuSpent) -> PerCall {
        let n = calls.max(1) as f64;
        PerCall {
            wall_us: micros(wall) / n,
            client_cpu_us: micros(cpu.client) / n,
            sim_cpu_us: micros(cpu.sim) / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert!(median(&[]).is_nan());
        assert_eq!(median(&[3.0]), 3.0);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&v, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&v, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&v[..1], 99.0), Duration::from_millis(1));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn rotation_changes_who_goes_first() {
        let order = std::cell::RefCell::new(Vec::new());
        let side = |name: &'static str| -> Side<'_, usize, ()> {
            let order = &order;
            Box::new(move |r| {
                order.borrow_mut().push(format!("{name}{r}"));
                Ok(r)
            })
        };
        let out = rotate(3, vec![side("A"), side("B"), side("C")]).unwrap();
        assert_eq!(out, [[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
        assert_eq!(
            order.into_inner(),
            ["A0", "B0", "C0", "B1", "C1", "A1", "C2", "A2", "B2"]
        );
    }

    #[test]
    fn interleaving_alternates_the_order() {
        let order = std::cell::RefCell::new(Vec::new());
        let (a, b) = interleave::<_, ()>(
            3,
            |r| {
                order.borrow_mut().push(format!("A{r}"));
                Ok(r)
            },
            |r| {
                order.borrow_mut().push(format!("B{r}"));
                Ok(r * 10)
            },
        )
        .unwrap();
        assert_eq!(a, [0, 1, 2]);
        assert_eq!(b, [0, 10, 20]);
        assert_eq!(order.into_inner(), ["A0", "B0", "B1", "A1", "A2", "B2"]);
    }
}
