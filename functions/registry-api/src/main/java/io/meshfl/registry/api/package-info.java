/**
 * The registry's HTTP contract (docs/registry-api.md) as records, and the one client every caller uses.
 *
 * <p>One home: the aggregation and training functions, the local mesh and the registry's own contract test all
 * speak to the registry through {@link io.meshfl.registry.api.RegistryClient} and these records. The registry's
 * test {@code RegistryApiContractTest} drives a running registry through this client in strict mode (an unknown
 * field in any answer fails), so a field added on one side and not the other fails the build.
 */
package io.meshfl.registry.api;
