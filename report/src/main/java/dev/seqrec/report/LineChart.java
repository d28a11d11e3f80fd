package dev.seqrec.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG line chart drawn with Java2D in headless mode: title, axis labels, tick labels, a light grid and several
 * named series with a legend. Made for training curves (loss per epoch) and accuracy-vs-epoch comparisons.
 */
public final class LineChart {

    /** Colours of successive series, chosen to stay distinguishable for common colour-vision deficiencies. */
    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    };
    /** Ticks per axis the layout aims at; the actual count follows from "nice" step sizes. */
    private static final int TARGET_TICKS = 6;
    private static final int MARGIN = 16;
    private static final int TICK_LENGTH = 4;
    private static final int FONT_SIZE = 12;
    private static final int TITLE_FONT_SIZE = 15;
    private static final int LEGEND_SWATCH = 18;
    private static final float LINE_WIDTH = 2f;
    private static final int POINT_DIAMETER = 5;
    /** Series with at most this many points also get a dot per point, so single epochs are visible. */
    private static final int MAX_POINTS_WITH_DOTS = 60;
    private static final Color GRID = new Color(0xe6e6e6);

    private record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a named series; x and y have the same length. Non-finite points are skipped when drawing. */
    public LineChart addSeries(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** Adds a series whose x values are 1, 2, 3, ... (epochs). */
    public LineChart addSeries(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return addSeries(name, x, y);
    }

    /** Writes the chart as a PNG of the given size; the file appears complete or not at all. */
    public void writePng(Path file, int width, int height) throws IOException {
        BufferedImage image = render(width, height);
        AtomicFile.write(file, temp -> {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** Draws the chart into a new image. */
    public BufferedImage render(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void draw(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, FONT_SIZE);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, TITLE_FONT_SIZE);
        FontMetrics fm = g.getFontMetrics(font);
        FontMetrics titleFm = g.getFontMetrics(titleFont);

        double[] xRange = range(true);
        double[] yRange = range(false);
        double[] xTicks = niceTicks(xRange[0], xRange[1]);
        double[] yTicks = niceTicks(yRange[0], yRange[1]);
        double xMin = xTicks[0], xMax = xTicks[xTicks.length - 1];
        double yMin = yTicks[0], yMax = yTicks[yTicks.length - 1];
        int xDecimals = decimalsFor(xTicks);
        int yDecimals = decimalsFor(yTicks);

        int yTickLabelWidth = 0;
        for (double t : yTicks) {
            yTickLabelWidth = Math.max(yTickLabelWidth, fm.stringWidth(formatTick(t, yDecimals)));
        }
        int left = MARGIN + fm.getHeight() + MARGIN / 2 + yTickLabelWidth + TICK_LENGTH + 2;
        int right = width - MARGIN;
        int top = MARGIN + titleFm.getHeight() + MARGIN / 2;
        int bottom = height - MARGIN - fm.getHeight() - MARGIN / 2 - fm.getHeight() - TICK_LENGTH;
        int plotWidth = Math.max(1, right - left);
        int plotHeight = Math.max(1, bottom - top);

        // Title.
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, left + (plotWidth - titleFm.stringWidth(title)) / 2, MARGIN + titleFm.getAscent());

        // Grid, ticks and tick labels.
        g.setFont(font);
        for (double t : xTicks) {
            int px = left + (int) Math.round((t - xMin) / (xMax - xMin) * plotWidth);
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.BLACK);
            g.drawLine(px, bottom, px, bottom + TICK_LENGTH);
            String label = formatTick(t, xDecimals);
            g.drawString(label, px - fm.stringWidth(label) / 2, bottom + TICK_LENGTH + fm.getAscent());
        }
        for (double t : yTicks) {
            int py = bottom - (int) Math.round((t - yMin) / (yMax - yMin) * plotHeight);
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(Color.BLACK);
            g.drawLine(left - TICK_LENGTH, py, left, py);
            String label = formatTick(t, yDecimals);
            g.drawString(label, left - TICK_LENGTH - 2 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotWidth, plotHeight);

        // Axis labels; the y label is rotated to read bottom-up.
        g.drawString(xLabel, left + (plotWidth - fm.stringWidth(xLabel)) / 2, height - MARGIN);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + (plotHeight + fm.stringWidth(yLabel)) / 2), MARGIN + fm.getAscent());
        g.setTransform(saved);

        // Series.
        g.setClip(left, top, plotWidth + 1, plotHeight + 1);
        g.setStroke(new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            g.setColor(PALETTE[s % PALETTE.length]);
            Path2D.Double path = new Path2D.Double();
            boolean penDown = false;
            for (int i = 0; i < line.x.length; i++) {
                if (!Double.isFinite(line.x[i]) || !Double.isFinite(line.y[i])) {
                    penDown = false;
                    continue;
                }
                double px = left + (line.x[i] - xMin) / (xMax - xMin) * plotWidth;
                double py = bottom - (line.y[i] - yMin) / (yMax - yMin) * plotHeight;
                if (penDown) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    penDown = true;
                }
                if (line.x.length <= MAX_POINTS_WITH_DOTS) {
                    g.fillOval((int) Math.round(px) - POINT_DIAMETER / 2, (int) Math.round(py) - POINT_DIAMETER / 2,
                            POINT_DIAMETER, POINT_DIAMETER);
                }
            }
            g.draw(path);
        }
        g.setClip(null);

        // Legend, top right inside the plot.
        if (!series.isEmpty()) {
            int legendWidth = 0;
            for (Series line : series) {
                legendWidth = Math.max(legendWidth, fm.stringWidth(line.name));
            }
            legendWidth += LEGEND_SWATCH + 3 * TICK_LENGTH;
            int rowHeight = fm.getHeight();
            int legendHeight = rowHeight * series.size() + 2 * TICK_LENGTH;
            int lx = right - legendWidth - TICK_LENGTH * 2;
            int ly = top + TICK_LENGTH * 2;
            g.setStroke(new BasicStroke(1f));
            g.setColor(new Color(255, 255, 255, 220));
            g.fillRect(lx, ly, legendWidth, legendHeight);
            g.setColor(Color.GRAY);
            g.drawRect(lx, ly, legendWidth, legendHeight);
            g.setStroke(new BasicStroke(LINE_WIDTH));
            for (int s = 0; s < series.size(); s++) {
                int rowMid = ly + TICK_LENGTH + rowHeight * s + rowHeight / 2;
                g.setColor(PALETTE[s % PALETTE.length]);
                g.drawLine(lx + TICK_LENGTH, rowMid, lx + TICK_LENGTH + LEGEND_SWATCH, rowMid);
                g.setColor(Color.BLACK);
                g.drawString(series.get(s).name, lx + 2 * TICK_LENGTH + LEGEND_SWATCH, rowMid + fm.getAscent() / 2 - 1);
            }
        }
    }

    /** [min, max] of the finite x (or y) values of all series; a unit range around a single value or none. */
    private double[] range(boolean xAxis) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            double[] values = xAxis ? line.x : line.y;
            double[] others = xAxis ? line.y : line.x;
            for (int i = 0; i < values.length; i++) {
                if (Double.isFinite(values[i]) && Double.isFinite(others[i])) {
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                }
            }
        }
        if (min > max) {
            return new double[] {0, 1};
        }
        if (min == max) {
            double half = min == 0 ? 0.5 : Math.abs(min) * 0.5;
            return new double[] {min - half, max + half};
        }
        return new double[] {min, max};
    }

    /** Tick positions at a "nice" step (1, 2 or 5 times a power of ten) that cover [min, max]. */
    static double[] niceTicks(double min, double max) {
        double rawStep = (max - min) / (TARGET_TICKS - 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rawStep)));
        double normalized = rawStep / magnitude;
        double step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
        double first = Math.floor(min / step) * step;
        double last = Math.ceil(max / step) * step;
        int count = (int) Math.round((last - first) / step) + 1;
        double[] ticks = new double[count];
        for (int i = 0; i < count; i++) {
            ticks[i] = first + i * step;
        }
        return ticks;
    }

    private static int decimalsFor(double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    }

    private static String formatTick(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
