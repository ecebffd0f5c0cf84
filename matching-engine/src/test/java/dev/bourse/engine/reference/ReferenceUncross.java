package dev.bourse.engine.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A deliberately simple auction price: it tries every candidate price, one at a time, and applies
 * the rules of docs/ENGINE-RULES.md ("The uncross") as written, each rule a filter over the
 * candidates the previous one left:
 * <ol>
 * <li>keep the candidates with the most executable quantity (it must be above 0);</li>
 * <li>of those, the ones with the least surplus;</li>
 * <li>if all of those have a buy surplus, the highest; if all have a sell surplus, the lowest;</li>
 * <li>otherwise the one closest to the reference price, the higher of two equally close.</li>
 * </ol>
 * Written from the rules, not from the engine's {@code UncrossCalculator}; quadratic, and meant
 * to be. Shared by the differential reference model, the uncross tests and {@code bench auction}.
 */
public final class ReferenceUncross
{
    /** One order of a call book: side 1 buy, 2 sell; its limit price and remaining quantity. */
    public record CallOrder(int side, long price, long quantity)
    {
    }

    /** The auction: price and volume 0 if the book does not cross. imbalanceSide 0, 1 (buy) or 2 (sell). */
    public record Result(long price, long volume, long imbalance, int imbalanceSide)
    {
        public boolean crosses()
        {
            return volume > 0;
        }
    }

    private record Candidate(long price, long buy, long sell)
    {
        long executable()
        {
            return Math.min(buy, sell);
        }

        long surplus()
        {
            return buy - sell;
        }
    }

    private ReferenceUncross()
    {
    }

    public static Result compute(final List<CallOrder> orders, final long referencePrice)
    {
        final TreeSet<Long> prices = new TreeSet<>();
        for (final CallOrder o : orders)
        {
            prices.add(o.price());
        }
        List<Candidate> candidates = new ArrayList<>();
        for (final long price : prices)
        {
            long buy = 0;
            long sell = 0;
            for (final CallOrder o : orders)
            {
                if (o.side() == 1 && o.price() >= price)
                {
                    buy += o.quantity();
                }
                else if (o.side() == 2 && o.price() <= price)
                {
                    sell += o.quantity();
                }
            }
            candidates.add(new Candidate(price, buy, sell));
        }

        // 1. the most executable quantity
        final long most = candidates.stream().mapToLong(Candidate::executable).max().orElse(0);
        if (most == 0)
        {
            return new Result(0, 0, 0, 0);
        }
        candidates = candidates.stream().filter(c -> c.executable() == most).toList();
        // 2. the least surplus
        final long least = candidates.stream().mapToLong(c -> Math.abs(c.surplus())).min().orElseThrow();
        candidates = candidates.stream().filter(c -> Math.abs(c.surplus()) == least).toList();
        // 3. market pressure
        Candidate chosen = null;
        if (candidates.stream().allMatch(c -> c.surplus() > 0))
        {
            chosen = candidates.get(candidates.size() - 1);
        }
        else if (candidates.stream().allMatch(c -> c.surplus() < 0))
        {
            chosen = candidates.get(0);
        }
        else
        {
            // 4. closest to the reference price; the higher of two equally close
            for (final Candidate c : candidates)
            {
                if (chosen == null || Math.abs(c.price() - referencePrice) <= Math.abs(chosen.price() - referencePrice))
                {
                    chosen = c;
                }
            }
        }
        final long surplus = chosen.surplus();
        return new Result(chosen.price(), most, Math.abs(surplus), surplus > 0 ? 1 : surplus < 0 ? 2 : 0);
    }
}
