// Post-build step: placeholder until the JS entry points land. Run after wasm-pack build.
console.log('package: pkg/ left as wasm-pack wrote it');
