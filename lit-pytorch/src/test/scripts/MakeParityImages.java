// Makes the 224×224 opaque RGB PNG fixtures of the TF.js parity test from openclipart PNGs
// (Debian openclipart-png 1:0.18+dfsg-19, public domain). Alpha is composited on white and the
// image squash-resized with lit4j's own preprocessing; the result is quantised to 8 bits, so the
// Java test and the TF.js script both read exactly the same input tensor (value / 255) from it.
//
// Usage (from the repository root, after building lit-core):
//   java -cp lit-core/target/classes:$HOME/.m2/repository/com/google/code/gson/gson/2.11.0/gson-2.11.0.jar \
//        lit-pytorch/src/test/scripts/MakeParityImages.java \
//        lit-pytorch/src/test/resources/dev/lit4j/pytorch/image/parity

import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.image.ImageTensor;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

public class MakeParityImages {
  public static void main(String[] args) throws Exception {
    String src = "/usr/share/openclipart/png/";
    String[][] images = {
      {"animals/bison_leif_lodahl_01.png", "bison.png"},
      {"food/apple_bitten_dan_gerhard_01.png", "apple.png"},
      {"transportation/car_jamin_ellis_.png", "car.png"},
      {"plants/fall_coloured_tree_geral_01.png", "tree.png"},
    };
    ImagePreprocessing p = ImagePreprocessing.squash(224);
    for (String[] pair : images) {
      ImageTensor t = p.apply(ImageIO.read(new File(src + pair[0])));
      BufferedImage out = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 224; y++) {
        for (int x = 0; x < 224; x++) {
          int rgb = 0;
          for (int c = 0; c < 3; c++) {
            rgb = rgb << 8 | Math.round(t.get(c, y, x) * 255);
          }
          out.setRGB(x, y, rgb);
        }
      }
      ImageIO.write(out, "png", new File(args[0], pair[1]));
    }
  }
}
