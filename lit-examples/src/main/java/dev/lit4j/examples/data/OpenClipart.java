package dev.lit4j.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads Debian's Open Clip Art Library packages ({@code openclipart-png} and {@code
 * openclipart-svg}, public domain): each PNG render is paired with its SVG source, whose RDF
 * metadata holds the work's title ({@code cc:Work/dc:title}) and subject keywords ({@code
 * dc:subject/rdf:Bag/rdf:li}).
 *
 * <p>Each image gets up to two captions: its title, and its title followed by its keywords.
 * Keywords that repeat the title, the category folder or an author's name are dropped. Skipped: the
 * {@code computer}, {@code shapes} and {@code special} folders (icons, geometry and gradient
 * swatches rather than depictions), images whose longer side exceeds {@link #MAX_SIDE} pixels (read
 * from the PNG header, never decoded), and works without a usable title. Thread-safe: stateless.
 */
public final class OpenClipart {

  /** Where Debian installs the collection. */
  public static final Path DEBIAN_ROOT = Path.of("/usr/share/openclipart");

  /** Longest image side kept, in pixels. */
  public static final int MAX_SIDE = 3000;

  private static final Set<String> SKIPPED_FOLDERS = Set.of("computer", "shapes", "special");
  private static final Set<String> JUNK_TITLES =
      Set.of("", "open clip art library", "open clip art project", "untitled", "clipart");
  private static final String DC = "http://purl.org/dc/elements/1.1/";
  // Open Clip Art 0.18 uses the original Creative Commons RDF namespace.
  private static final String CC = "http://web.resource.org/cc/";
  private static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

  private OpenClipart() {}

  /**
   * Reads every usable captioned image under {@code root} (which holds {@code png/} and {@code
   * svg/}), sorted by id.
   *
   * @throws NoSuchFileException if {@code root/png} or {@code root/svg} is missing, with the
   *     packages to install
   * @throws IOException if a directory cannot be listed
   */
  public static List<CaptionedImage> read(Path root) throws IOException {
    Path pngRoot = root.resolve("png");
    Path svgRoot = root.resolve("svg");
    if (!Files.isDirectory(pngRoot) || !Files.isDirectory(svgRoot)) {
      throw new NoSuchFileException(
          root.toString(),
          null,
          "Open Clip Art not found; install it with: apt-get install openclipart-png"
              + " openclipart-svg");
    }
    List<CaptionedImage> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(pngRoot)) {
      for (Path png : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
        Path rel = pngRoot.relativize(png);
        String category = rel.getName(0).toString();
        if (rel.getNameCount() < 2 || SKIPPED_FOLDERS.contains(category)) {
          continue;
        }
        String relSvg = rel.toString();
        Path svg = svgRoot.resolve(relSvg.substring(0, relSvg.length() - 4) + ".svg");
        if (!Files.isRegularFile(svg) || !fitsSize(png)) {
          continue;
        }
        Metadata meta = Metadata.read(svg);
        if (meta == null) {
          continue;
        }
        out.add(new CaptionedImage(rel.toString(), png, category, meta.captions(category)));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  private static boolean fitsSize(Path png) {
    try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (in == null || !readers.hasNext()) {
        return false;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return Math.max(reader.getWidth(0), reader.getHeight(0)) <= MAX_SIDE;
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      return false; // unreadable header: the image is not usable either
    }
  }

  /** Title, keywords and author names read from an SVG's RDF block. */
  record Metadata(String title, List<String> keywords, Set<String> authors) {

    List<String> captions(String category) {
      String t = clean(title);
      Set<String> kept = new LinkedHashSet<>();
      for (String k : keywords) {
        String c = clean(k);
        if (!c.isEmpty()
            && !c.equalsIgnoreCase(t)
            && !c.equalsIgnoreCase(category)
            && !authors.contains(c.toLowerCase(Locale.ROOT))) {
          kept.add(c);
        }
      }
      return kept.isEmpty() ? List.of(t) : List.of(t, t + ", " + String.join(", ", kept));
    }

    static String clean(String s) {
      return s.replace('_', ' ')
          .replace('-', ' ')
          .replaceAll("(?i)^clip ?art by \\S+ \\S+\\s+", "") // "Clipart by Nicu Buculei fox"
          .replaceAll("([\\p{L}])\\d+\\b", "$1") // "smiley111" -> "smiley"; keeps "25 cents"
          .replaceAll("\\s+", " ")
          .strip();
    }

    /** Returns the metadata, or null when the SVG has no usable title or cannot be parsed. */
    static Metadata read(Path svg) {
      XMLInputFactory factory = XMLInputFactory.newFactory();
      // Never resolve DTDs or external entities: SVG DOCTYPEs point at remote DTDs.
      factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
      factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
      factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
      String title = null;
      List<String> keywords = new ArrayList<>();
      Set<String> authors = new LinkedHashSet<>();
      try (InputStream in = Files.newInputStream(svg)) {
        XMLStreamReader xml = factory.createXMLStreamReader(in);
        ArrayDeque<String> path = new ArrayDeque<>();
        while (xml.hasNext()) {
          int ev = xml.next();
          if (ev == XMLStreamConstants.START_ELEMENT) {
            String ns = xml.getNamespaceURI();
            String local = xml.getLocalName();
            String parent = path.peek();
            path.push((ns == null ? "" : ns) + local);
            if (DC.equals(ns) && local.equals("title") && (CC + "Work").equals(parent)) {
              title = xml.getElementText();
              path.poll();
            } else if (DC.equals(ns) && local.equals("title") && (CC + "Agent").equals(parent)) {
              authors.add(xml.getElementText().strip().toLowerCase(Locale.ROOT));
              path.poll();
            } else if (RDF.equals(ns) && local.equals("li") && path.contains(DC + "subject")) {
              keywords.add(xml.getElementText());
              path.poll();
            }
          } else if (ev == XMLStreamConstants.END_ELEMENT) {
            if ("metadata".equals(xml.getLocalName())) {
              break; // everything needed sits inside <metadata>; skip the drawing itself
            }
            path.poll();
          }
        }
        xml.close();
      } catch (IOException | XMLStreamException | RuntimeException e) {
        return null;
      }
      if (title == null || JUNK_TITLES.contains(clean(title).toLowerCase(Locale.ROOT))) {
        return null;
      }
      return new Metadata(title, List.copyOf(keywords), Set.copyOf(authors));
    }
  }
}
