// LDPC syndrome decoding for the BSC, native kernel: the layered belief propagation of ldpc/decoder.ts (same
// schedule, same stopping rule), for Bob's side of rate-adaptive reconciliation.
// Sum-product here runs in the φ domain, φ(x) = −ln tanh(x/2) = ln((e^x + 1)/(e^x − 1)) (its own inverse):
// |msg_e| = φ(Σ_{e' ≠ e} φ(|t_e'|)), sign = syndrome sign × the other edges' signs. Two exp/log per edge, like
// the tanh rule, but glibc's exp and log are several times cheaper than V8's tanh/atanh, and nothing is
// allocated. Only Bob decodes, and his result is checked (syndrome, confirmation hash, verification), so this
// need not match the JavaScript decoder bit for bit — it must only decode as well.
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

using F = double;

F phiExact(F x) {
  // Clamp: φ(0) = ∞ (a punctured symbol knows nothing) and φ(x) ≈ 2e^−x for large x.
  if (x < 1e-12) x = 1e-12;
  if (x > 40) return 2 * std::exp(-x);
  return std::log1p(2 / std::expm1(x));
}

// φ from a table where it is smooth: x ∈ [1/16, 32) in steps of 1/256, linear interpolation (relative error
// < 2·10^−4, far below what moves BP's decisions); exact below (steep) and ≈ 0 above (φ(32) ≈ 2.5·10^−14).
// Without it the two exp/log per edge are ~90 % of the decoder's time.
struct PhiTable {
  static constexpr F LO = 1.0 / 16, HI = 32, STEP = 1.0 / 256;
  std::vector<F> v;
  PhiTable() {
    const size_t count = (size_t)((HI - LO) / STEP) + 2;
    v.resize(count);
    for (size_t i = 0; i < count; i++) v[i] = phiExact(LO + i * STEP);
  }
  inline F operator()(F x) const {
    if (x < LO) return phiExact(x);
    if (x >= HI) return 0;  // < 2.6·10^−14: nothing next to the other terms of a check
    const F u = (x - LO) * (1 / STEP);
    const size_t i = (size_t)u;
    const F f = u - (F)i;
    return v[i] + f * (v[i + 1] - v[i]);
  }
};
const PhiTable phi;

bool syndromeMatches(int m, const int32_t* rowPtr, const int32_t* colIdx, const uint8_t* syn, const uint8_t* x) {
  for (int j = 0; j < m; j++) {
    uint8_t p = syn[j];
    for (int32_t e = rowPtr[j]; e < rowPtr[j + 1]; e++) p ^= x[colIdx[e]];
    if (p) return false;
  }
  return true;
}

// Returns the iterations used (> 0) when H·out = syndrome, or −maxIterations.
int decode(int m, int n, const int32_t* rowPtr, const int32_t* colIdx, const uint8_t* syn, const F* prior, uint8_t* out,
           int maxIterations, bool spa, F alpha) {
  const int32_t edges = rowPtr[m];
  int maxRow = 0;
  for (int j = 0; j < m; j++) maxRow = std::max(maxRow, rowPtr[j + 1] - rowPtr[j]);
  std::vector<F> r(edges, 0.0), post(prior, prior + n), t(maxRow), ph(maxRow);
  for (int it = 1; it <= maxIterations; it++) {
    for (int j = 0; j < m; j++) {
      const int32_t e0 = rowPtr[j], d = rowPtr[j + 1] - e0;
      int neg = syn[j];
      if (spa) {
        F sum = 0;
        for (int k = 0; k < d; k++) {
          const F x = post[colIdx[e0 + k]] - r[e0 + k];
          t[k] = x;
          if (x < 0) neg ^= 1;
          ph[k] = phi(std::fabs(x));
          sum += ph[k];
        }
        for (int k = 0; k < d; k++) {
          const F x = t[k];
          // Σ over the others; guard the cancellation when one term dominates the sum.
          F rest = sum - ph[k];
          if (rest < 0) rest = 0;
          const F mag = phi(rest);
          const F msg = (neg ^ (x < 0 ? 1 : 0)) ? -mag : mag;
          r[e0 + k] = msg;
          post[colIdx[e0 + k]] = x + msg;
        }
      } else {
        F min1 = INFINITY, min2 = INFINITY;
        int minAt = -1;
        for (int k = 0; k < d; k++) {
          const F x = post[colIdx[e0 + k]] - r[e0 + k];
          t[k] = x;
          F a = x;
          if (x < 0) {
            a = -x;
            neg ^= 1;
          }
          if (a < min1) {
            min2 = min1;
            min1 = a;
            minAt = k;
          } else if (a < min2) min2 = a;
        }
        const F m1 = alpha * min1, m2 = alpha * min2;
        for (int k = 0; k < d; k++) {
          const F x = t[k];
          const F mag = k == minAt ? m2 : m1;
          const F msg = (neg ^ (x < 0 ? 1 : 0)) ? -mag : mag;
          r[e0 + k] = msg;
          post[colIdx[e0 + k]] = x + msg;
        }
      }
    }
    for (int v = 0; v < n; v++) out[v] = post[v] < 0 ? 1 : 0;
    if (syndromeMatches(m, rowPtr, colIdx, syn, out)) return it;
  }
  return -maxIterations;
}

template <typename T>
bool typed(napi_env env, napi_value v, napi_typedarray_type want, T** data, size_t* len) {
  napi_typedarray_type type;
  napi_value ab;
  size_t off;
  void* ptr;
  if (napi_get_typedarray_info(env, v, &type, len, &ptr, &ab, &off) != napi_ok || type != want) return false;
  *data = static_cast<T*>(ptr);
  return true;
}

// JS: ldpcDecode(rowPtr: Int32Array, colIdx: Int32Array, n, syndrome: Uint8Array, prior: Float64Array,
//     out: Uint8Array, maxIterations, algorithm (0 = sum-product, 1 = min-sum), alpha) → iterations, or −max.
napi_value LdpcDecode(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t *rowPtr, *colIdx;
  uint8_t *syn, *out;
  F* prior;
  size_t rowLen, colLen, synLen, outLen, priorLen;
  double nD, maxIt, algo, alpha;
  if (argc < 9 || !typed(env, argv[0], napi_int32_array, &rowPtr, &rowLen) || !typed(env, argv[1], napi_int32_array, &colIdx, &colLen) ||
      napi_get_value_double(env, argv[2], &nD) != napi_ok || !typed(env, argv[3], napi_uint8_array, &syn, &synLen) ||
      !typed(env, argv[4], napi_float64_array, &prior, &priorLen) || !typed(env, argv[5], napi_uint8_array, &out, &outLen) ||
      napi_get_value_double(env, argv[6], &maxIt) != napi_ok || napi_get_value_double(env, argv[7], &algo) != napi_ok ||
      napi_get_value_double(env, argv[8], &alpha) != napi_ok) {
    napi_throw_type_error(env, nullptr, "ldpcDecode(rowPtr, colIdx, n, syndrome, prior, out, maxIterations, algorithm, alpha)");
    return nullptr;
  }
  const size_t m = rowLen - 1;
  const size_t n = (size_t)nD;
  bool ok = rowLen >= 1 && synLen >= m && priorLen >= n && outLen >= n && maxIt >= 1;
  if (ok && (size_t)rowPtr[m] > colLen) ok = false;
  for (size_t e = 0; ok && e < (size_t)rowPtr[m]; e++) ok = colIdx[e] >= 0 && (size_t)colIdx[e] < n;
  for (size_t j = 0; ok && j < m; j++) ok = rowPtr[j] <= rowPtr[j + 1];
  if (!ok) {
    napi_throw_range_error(env, nullptr, "ldpcDecode: inconsistent matrix, syndrome, prior or output sizes");
    return nullptr;
  }
  const int it = decode((int)m, (int)n, rowPtr, colIdx, syn, prior, out, (int)maxIt, algo == 0, alpha);
  napi_value res;
  napi_create_int32(env, it, &res);
  return res;
}

}  // namespace

void registerLdpc(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "ldpcDecode", NAPI_AUTO_LENGTH, LdpcDecode, nullptr, &fn);
  napi_set_named_property(env, exports, "ldpcDecode", fn);
}
