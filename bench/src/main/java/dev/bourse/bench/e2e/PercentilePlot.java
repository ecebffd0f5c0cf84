package dev.bourse.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A latency-by-percentile chart as a PNG, drawn like HdrHistogram's plotter: the x axis is
 * 1/(1-percentile) on a log scale (so 90%, 99%, 99.9%, 99.99% are evenly spaced), the y axis
 * is latency in microseconds on a log scale. Headless java.awt, no dependency.
 */
public final class PercentilePlot
{
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private PercentilePlot()
    {
    }

    public static void write(final Path file, final String title, final Map<String, Histogram> series) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final int width = 1000;
        final int height = 620;
        final int left = 80;
        final int right = 200;
        final int top = 50;
        final int bottom = 60;
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double maxUs = 10;
        for (final Histogram h : series.values())
        {
            maxUs = Math.max(maxUs, h.getMaxValue() / 1000.0);
        }
        final double yMax = Math.pow(10, Math.ceil(Math.log10(maxUs)));
        final double yMin = 1;
        final double xMax = 1e6; // 99.9999%
        final int plotW = width - left - right;
        final int plotH = height - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xdddddd));
        for (double y = yMin; y <= yMax; y *= 10)
        {
            final int py = top + plotH - (int)(plotH * Math.log10(y / yMin) / Math.log10(yMax / yMin));
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, py, left + plotW, py);
            g.setColor(Color.BLACK);
            g.drawString(formatUs(y), 10, py + 4);
        }
        final String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int i = 0; i < labels.length; i++)
        {
            final int px = left + (int)(plotW * i / 6.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(px, top, px, top + plotH);
            g.setColor(Color.BLACK);
            g.drawString(labels[i], px - 15, top + plotH + 18);
        }
        g.drawString("percentile", left + plotW / 2 - 30, height - 15);
        g.drawString("us", 10, top - 10);
        g.drawRect(left, top, plotW, plotH);
        int index = 0;
        for (final Map.Entry<String, Histogram> e : series.entrySet())
        {
            final Color color = COLORS[index % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            int lastX = -1;
            int lastY = -1;
            for (final HistogramIterationValue v : e.getValue().percentiles(5))
            {
                final double p = v.getPercentileLevelIteratedTo() / 100.0;
                final double x = p >= 1.0 ? xMax : Math.min(xMax, 1 / (1 - p));
                final double us = Math.max(yMin, v.getValueIteratedTo() / 1000.0);
                final int px = left + (int)(plotW * Math.log10(x) / Math.log10(xMax));
                final int py = top + plotH - (int)(plotH * Math.log10(us / yMin) / Math.log10(yMax / yMin));
                if (lastX >= 0)
                {
                    g.drawLine(lastX, lastY, px, py);
                }
                lastX = px;
                lastY = py;
            }
            g.fillRect(width - right + 15, top + 10 + index * 20, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), width - right + 35, top + 16 + index * 20);
            index++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static String formatUs(final double us)
    {
        return us >= 1_000_000 ? (long)(us / 1_000_000) + " s" : us >= 1000 ? (long)(us / 1000) + " ms" : (long)us + " us";
    }

    public static Map<String, Histogram> series()
    {
        return new LinkedHashMap<>();
    }
}
