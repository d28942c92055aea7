package io.meshfl.mesh.vertical;

import io.meshfl.core.keys.ResourceId;
import io.meshfl.mesh.dataset.DatasetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which domain holds which columns: contiguous groups in the file's order, or what {@code --columns} says. */
public final class ColumnDeal {

    private ColumnDeal() {
    }

    /** {@code domain-1} … {@code domain-N}, each a contiguous group (sizes differ by at most one). */
    public static Map<String, List<Integer>> contiguous(List<String> columns, int domains) {
        if (domains < 2 || domains > columns.size()) {
            throw new DatasetException("--domains " + domains + " cannot share " + columns.size()
                    + " columns: every domain needs at least one, and there must be two domains");
        }
        Map<String, List<Integer>> deal = new LinkedHashMap<>();
        for (int d = 0; d < domains; d++) {
            List<Integer> group = new ArrayList<>();
            for (int c = d * columns.size() / domains; c < (d + 1) * columns.size() / domains; c++) {
                group.add(c);
            }
            deal.put("domain-" + (d + 1), group);
        }
        return deal;
    }

    /** {@code d1:a,b;d2:c}: each domain's columns by name; a column may belong to one domain only. */
    public static Map<String, List<Integer>> parse(String spec, List<String> columns) {
        Map<String, List<Integer>> deal = new LinkedHashMap<>();
        Map<String, String> owner = new HashMap<>();
        for (String part : spec.split(";")) {
            String[] domainAndColumns = part.split(":", 2);
            if (domainAndColumns.length != 2 || domainAndColumns[1].isBlank()) {
                throw new DatasetException("--columns: '" + part + "' is not DOMAIN:COLUMN,COLUMN…");
            }
            String domain = domainAndColumns[0].strip();
            try {
                ResourceId.require(domain, "domain");
            } catch (IllegalArgumentException e) {
                throw new DatasetException("--columns: " + e.getMessage());
            }
            if (deal.containsKey(domain)) {
                throw new DatasetException("--columns names domain " + domain + " twice");
            }
            List<Integer> group = new ArrayList<>();
            for (String name : domainAndColumns[1].split(",")) {
                String column = name.strip();
                int index = columns.indexOf(column);
                if (index < 0) {
                    throw new DatasetException("--columns: " + column + " is not a feature column; they are " + columns);
                }
                String earlier = owner.putIfAbsent(column, domain);
                if (earlier != null) {
                    throw new DatasetException("--columns gives column " + column + " to both " + earlier + " and "
                            + domain);
                }
                group.add(index);
            }
            deal.put(domain, group);
        }
        if (deal.size() < 2) {
            throw new DatasetException("--columns must name at least two domains, got " + deal.keySet());
        }
        return deal;
    }
}
