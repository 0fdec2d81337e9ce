// Turns the nsfwjs 4.x MobileNetV2 JS modules back into TF.js layers-format files.
//
// nsfwjs 4.x ships each model as UMD modules: model.min.js exports the model.json object and
// group1-shard*.min.js export the binary weight shards as base64 strings. This script writes
// model.json (with the weight paths the manifest names) and the shards as *.bin, byte for byte.
//
// Usage (build time only, never in the Maven build):
//   cd /tmp && npm pack nsfwjs@4.3.0 && tar xzf nsfwjs-4.3.0.tgz
//   node extract-nsfwjs-mobilenet-v2.js /tmp/package <output directory>
'use strict';
const fs = require('fs');
const path = require('path');

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error('usage: node extract-nsfwjs-mobilenet-v2.js <nsfwjs package dir> <output dir>');
  process.exit(2);
}
const modelDir = path.join(pkgDir, 'dist', 'models', 'mobilenet_v2');
const model = require(path.resolve(modelDir, 'model.min.js'));
if (!model.modelTopology || !model.weightsManifest) {
  throw new Error('model.min.js did not export a layers model (modelTopology + weightsManifest)');
}
fs.mkdirSync(outDir, { recursive: true });
for (const group of model.weightsManifest) {
  for (const p of group.paths) {
    // The manifest names shards 'group1-shard1of1' (no extension); the JS module adds '.min.js'.
    const shard = require(path.resolve(modelDir, p + '.min.js'));
    if (typeof shard !== 'string') throw new Error(p + '.min.js did not export a base64 string');
    fs.writeFileSync(path.join(outDir, p + '.bin'), Buffer.from(shard, 'base64'));
  }
  group.paths = group.paths.map((p) => p + '.bin');
}
fs.writeFileSync(path.join(outDir, 'model.json'), JSON.stringify(model));
console.log('wrote', fs.readdirSync(outDir).join(', '), 'to', outDir);
