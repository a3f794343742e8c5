"""scikit-learn on the pixels ClusterBench.java wrote, with the same settings; prints the comparison.

Usage: python3 bench/sklearn_bench.py OUTDIR   (OUTDIR holds pixels.npy and unseg.json)
"""
import json
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info

out = sys.argv[1]
u = json.load(open(f"{out}/unseg.json"))
x = np.load(f"{out}/pixels.npy")  # float32, the same numbers UnSeg clustered
repeats = int(__import__("os").environ.get("REPEATS", "3"))
km_k, km_init, gmm_k = u["kmeans"]["k"], u["kmeans"]["n_init"], u["gmm"]["k"]

def inertia64(x, centers):
    # scikit-learn sums a float32 fit's inertia in float32, which under-reports it by ~0.1-0.5% on
    # millions of pixels; recompute both sides' figure the same way, in float64 (as UnSeg does).
    c = centers.astype(np.float64)
    total = 0.0
    for s in range(0, x.shape[0], 1 << 18):
        b = x[s:s + (1 << 18)].astype(np.float64)
        d2 = ((b[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
        total += d2.min(axis=1).sum()
    return total


def kmeans_runs(data):
    times, inertias, iters, reported = [], [], [], []
    for r in range(repeats):  # seeds 0..repeats-1, as on the UnSeg side
        t0 = time.perf_counter()
        km = KMeans(n_clusters=km_k, n_init=km_init, max_iter=300, tol=1e-4, algorithm="lloyd", random_state=r).fit(data)
        times.append(time.perf_counter() - t0)
        inertias.append(inertia64(x, km.cluster_centers_))
        reported.append(km.inertia_)
        iters.append(km.n_iter_)
    return statistics.median(times), statistics.mean(inertias), min(inertias), statistics.mean(reported), statistics.mean(iters)


# The same pixel values as float32 (what UnSeg clusters) and as float64 (scikit-learn's usual input).
k32 = kmeans_runs(x)
k64 = kmeans_runs(x.astype(np.float64))

t0 = time.perf_counter()
gm = GaussianMixture(n_components=gmm_k, covariance_type="full", max_iter=100, tol=1e-3, reg_covar=1e-6,
                     random_state=0).fit(x)
gm_s = time.perf_counter() - t0
gm_ll = gm.score(x)

blas = [f"{i['internal_api']} {i.get('version')} {i.get('architecture', '')} x{i['num_threads']}" for i in threadpool_info()]
print(f"K-means: median time over seeds 0..{repeats - 1}; inertia recomputed in float64 for all; GMM: one fit, seed 0")
print(f"pixels: {x.shape[0]} x {x.shape[1]} float32; scikit-learn {sklearn.__version__}, numpy {np.__version__}; {'; '.join(blas)}")
print(f"{'':32}{'UnSeg':>12}{'sk float32':>12}{'sk float64':>12}{'ratio f32/f64':>16}")
uk = u["kmeans"]
print(f"{'K-means k=%d n_init=%d fit (s)' % (km_k, km_init):32}{uk['fit_s']:>12.3f}{k32[0]:>12.3f}{k64[0]:>12.3f}{k32[0] / uk['fit_s']:>9.2f}x/{k64[0] / uk['fit_s']:.2f}x")
print(f"{'K-means inertia, mean of seeds':32}{uk['inertia_mean']:>12.6g}{k32[1]:>12.6g}{k64[1]:>12.6g}")
print(f"{'K-means inertia, best seed':32}{uk['inertia_min']:>12.6g}{k32[2]:>12.6g}{k64[2]:>12.6g}")
print(f"{'  (as scikit-learn reports it)':32}{'':>12}{k32[3]:>12.6g}{k64[3]:>12.6g}")
print(f"{'K-means iterations (mean)':32}{uk['n_iter_mean']:>12.1f}{k32[4]:>12.1f}{k64[4]:>12.1f}")
print(f"{'GMM k=%d full fit (s)' % gmm_k:32}{u['gmm']['fit_s']:>12.3f}{gm_s:>12.3f}{'':>12}{gm_s / u['gmm']['fit_s']:>9.2f}x")
print(f"{'GMM mean log-likelihood':32}{u['gmm']['mean_loglik']:>12.7g}{gm_ll:>12.7g}")
print(f"{'GMM iterations':32}{u['gmm']['n_iter']:>12}{gm.n_iter_:>12}")
sp_k, sp_g = k32[0] / uk["fit_s"], gm_s / u["gmm"]["fit_s"]
print(f"speed (target >= 2x): K-means {sp_k:.1f}x {'met' if sp_k >= 2 else 'NOT met'}, GMM {sp_g:.1f}x {'met' if sp_g >= 2 else 'NOT met'}")
print(f"quality: K-means mean inertia {100 * (uk['inertia_mean'] / k32[1] - 1):+.2f}% vs sk float32, "
      f"{100 * (uk['inertia_mean'] / k64[1] - 1):+.2f}% vs float64; best seed {100 * (uk['inertia_min'] / min(k32[2], k64[2]) - 1):+.3f}%; "
      f"GMM log-likelihood {u['gmm']['mean_loglik'] - gm_ll:+.2e} (EM tolerance 1e-3)")
