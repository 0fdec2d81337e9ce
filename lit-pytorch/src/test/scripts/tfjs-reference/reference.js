// Reference activations of the nsfwjs 4.3.0 MobileNetV2 computed by TF.js itself, for
// MobileNetV2ParityTest (lit-pytorch). Pure-JS CPU backend; no network.
//
//   cd /tmp/ref && cp <this dir>/package.json . && npm install   # @tensorflow/tfjs 4.22.0, pngjs 7.0.0
//   NODE_PATH=/tmp/ref/node_modules node <this dir>/reference.js <repo>/lit-models/src/main/resources/dev/lit4j/models/mobilenet_v2 \
//        <repo>/lit-pytorch/src/test/resources/dev/lit4j/pytorch/image/parity
//
// Each fixture PNG is 224×224 opaque RGB, so the input tensor is exactly value / 255 in NHWC with
// no resizing on either side. Writes tfjs-reference.json beside the images: for each layer, per
// image, the output globally averaged over height and width (4-D) or as it is (2-D).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');

const LAYERS = ['Conv1_relu', 'block_3_depthwise_relu', 'block_13_expand_relu', 'out_relu', 'dense_3'];
const IMAGES = ['apple.png', 'bison.png', 'car.png', 'tree.png'];

async function main() {
  const [modelDir, imageDir] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const modelJsonBytes = fs.readFileSync(path.join(modelDir, 'model.json'));
  const modelJson = JSON.parse(modelJsonBytes);
  const specs = [];
  const buffers = [];
  const sha = crypto.createHash('sha256').update(modelJsonBytes);
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const b = fs.readFileSync(path.join(modelDir, p));
      sha.update(b);
      buffers.push(b);
    }
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }));
  const sub = tf.model({ inputs: model.inputs, outputs: LAYERS.map((n) => model.getLayer(n).output) });

  const pixels = [];
  for (const name of IMAGES) {
    const png = PNG.sync.read(fs.readFileSync(path.join(imageDir, name)));
    if (png.width !== 224 || png.height !== 224) throw new Error(name + ' is not 224×224');
    const rgb = new Float32Array(224 * 224 * 3);
    for (let i = 0; i < 224 * 224; i++) {
      if (png.data[4 * i + 3] !== 255) throw new Error(name + ' has transparent pixels');
      for (let c = 0; c < 3; c++) rgb[3 * i + c] = png.data[4 * i + c] / 255;
    }
    pixels.push(rgb);
  }
  const input = tf.tensor4d(Float32Array.from(pixels.flatMap((p) => Array.from(p))), [IMAGES.length, 224, 224, 3]);
  const outputs = sub.predict(input);
  const layers = {};
  for (let l = 0; l < LAYERS.length; l++) {
    const t = outputs[l];
    const pooled = t.rank === 4 ? t.mean([1, 2]) : t;
    layers[LAYERS[l]] = (await pooled.array()).map((row) => row.map((v) => Number(v.toPrecision(9))));
  }
  const out = {
    generator: 'lit-pytorch/src/test/scripts/tfjs-reference/reference.js',
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    node: process.version,
    model: 'nsfwjs 4.3.0 mobilenet_v2',
    modelSha256: sha.digest('hex'),
    input: '224x224 RGB PNG, value / 255, NHWC',
    pooling: 'mean over height and width for 4-D outputs',
    images: IMAGES,
    layers,
  };
  fs.writeFileSync(path.join(imageDir, 'tfjs-reference.json'), JSON.stringify(out, null, 1) + '\n');
  console.log('wrote', path.join(imageDir, 'tfjs-reference.json'), 'sha256', out.modelSha256);
}

main().catch((e) => { console.error(e); process.exit(1); });
