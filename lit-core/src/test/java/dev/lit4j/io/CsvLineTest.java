package dev.lit4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineTest {
  @Test
  void split_unquotesFieldsWithCommasAndEscapedQuotes() {
    assertEquals(
        List.of("a", "b, c", "say \"hi\"", ""),
        CsvLine.split("a,\"b, c\",\"say \"\"hi\"\"\",", "x.csv line 2"));
  }

  @Test
  void split_ofAnEmptyLine_isOneEmptyField() {
    assertEquals(List.of(""), CsvLine.split("", "x.csv line 2"));
  }

  @Test
  void split_withAnUnclosedQuote_namesTheLine() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CsvLine.split("a,\"b", "x.csv line 7"));
    assertTrue(
        e.getMessage().startsWith("x.csv line 7: a quoted field is not closed"), e.getMessage());
  }

  @Test
  void split_withTextAfterAClosingQuote_namesTheColumnAndTheFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CsvLine.split("\"a\"b,c", "x.csv line 3"));
    assertTrue(e.getMessage().contains("x.csv line 3: unexpected 'b'"), e.getMessage());
    assertTrue(e.getMessage().contains("column 4"), e.getMessage());
    assertTrue(e.getMessage().contains("quote the whole field"), e.getMessage());
  }
}
