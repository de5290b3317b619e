// The satqkd native addon: one module, one entry point, each kernel registers its functions.
#include <node_api.h>

void registerToeplitz(napi_env env, napi_value exports);
void registerLdpc(napi_env env, napi_value exports);

namespace {
napi_value Init(napi_env env, napi_value exports) {
  registerToeplitz(env, exports);
  registerLdpc(env, exports);
  return exports;
}
}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
