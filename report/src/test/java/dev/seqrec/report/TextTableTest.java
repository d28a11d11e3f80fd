package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {

    private static TextTable metrics() {
        return new TextTable("model", "users", "hr@10")
                .addRow("pop", 22363, 0.0114475)
                .addRow("mclrec", 7, 0.0871);
    }

    @Test
    void textAlignsColumnsWithTextLeftAndNumbersRight() {
        assertEquals("""
                model   users   hr@10
                ------  -----  ------
                pop     22363  0.0114
                mclrec      7  0.0871
                """, metrics().toText());
    }

    @Test
    void markdownMarksNumericColumnsRightAligned() {
        assertEquals("""
                | model  | users |  hr@10 |
                | ------ | ----: | -----: |
                | pop    | 22363 | 0.0114 |
                | mclrec |     7 | 0.0871 |
                """, metrics().toMarkdown());
    }

    @Test
    void decimalsAreConfigurable() {
        TextTable table = new TextTable(java.util.List.of("x"), 2).addRow(1.0 / 3);
        assertEquals("|    x |\n| ---: |\n| 0.33 |\n", table.toMarkdown());
    }

    @Test
    void markdownEscapesPipesInCells() {
        TextTable table = new TextTable("name").addRow("a|b");
        assertEquals("| name |\n| ---- |\n| a\\|b |\n", table.toMarkdown());
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("a", "b").addRow("only one"));
    }
}
