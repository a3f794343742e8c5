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


times, inertias, iters, reported = [], [], [], []
for r in range(repeats):  # seeds 0..repeats-1, as on the UnSeg side
    t0 = time.perf_counter()
    km = KMeans(n_clusters=km_k, n_init=km_init, max_iter=300, tol=1e-4, algorithm="lloyd", random_state=r).fit(x)
    times.append(time.perf_counter() - t0)
    inertias.append(inertia64(x, km.cluster_centers_))
    reported.append(km.inertia_)
    iters.append(km.n_iter_)
km_s = statistics.median(times)
km_mean, km_min = statistics.mean(inertias), min(inertias)

t0 = time.perf_counter()
gm = GaussianMixture(n_components=gmm_k, covariance_type="full", max_iter=100, tol=1e-3, reg_covar=1e-6,
                     random_state=0).fit(x)
gm_s = time.perf_counter() - t0
gm_ll = gm.score(x)

blas = [f"{i['internal_api']} {i.get('version')} {i.get('architecture', '')} x{i['num_threads']}" for i in threadpool_info()]
print(f"K-means: median time over seeds 0..{repeats - 1}; GMM: one fit, seed 0")
print(f"pixels: {x.shape[0]} x {x.shape[1]} float32; scikit-learn {sklearn.__version__}, numpy {np.__version__}; {'; '.join(blas)}")
print(f"{'':32}{'UnSeg':>14}{'scikit-learn':>14}{'ratio (sk/UnSeg)':>18}")
print(f"{'K-means k=%d n_init=%d fit (s)' % (km_k, km_init):32}{u['kmeans']['fit_s']:>14.3f}{km_s:>14.3f}{km_s / u['kmeans']['fit_s']:>17.2f}x")
print(f"{'K-means inertia, mean of seeds':32}{u['kmeans']['inertia_mean']:>14.6g}{km_mean:>14.6g}{'':>18}")
print(f"{'K-means inertia, best seed':32}{u['kmeans']['inertia_min']:>14.6g}{km_min:>14.6g}{'':>18}")
print(f"{'  (as scikit-learn reports it)':32}{'':>14}{statistics.mean(reported):>14.6g}{'':>18}")
print(f"{'K-means iterations (mean)':32}{u['kmeans']['n_iter_mean']:>14.1f}{statistics.mean(iters):>14.1f}{'':>18}")
print(f"{'GMM k=%d full fit (s)' % gmm_k:32}{u['gmm']['fit_s']:>14.3f}{gm_s:>14.3f}{gm_s / u['gmm']['fit_s']:>17.2f}x")
print(f"{'GMM mean log-likelihood':32}{u['gmm']['mean_loglik']:>14.6g}{gm_ll:>14.6g}{'':>18}")
print(f"{'GMM iterations':32}{u['gmm']['n_iter']:>14}{gm.n_iter_:>14}{'':>18}")
ok_km = km_s / u["kmeans"]["fit_s"] >= 2 and u["kmeans"]["inertia_mean"] <= km_mean * (1 + 1e-4)
ok_gm = gm_s / u["gmm"]["fit_s"] >= 2 and u["gmm"]["mean_loglik"] >= gm_ll - 1e-4
print(f"target (>= 2x faster, inertia <= / log-likelihood >=): K-means {'met' if ok_km else 'NOT met'}, GMM {'met' if ok_gm else 'NOT met'}")
