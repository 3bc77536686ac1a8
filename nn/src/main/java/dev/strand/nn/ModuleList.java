package dev.strand.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An indexed list of submodules, named "0", "1", … as in PyTorch's nn.ModuleList. */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M module) {
        items.add(child(Integer.toString(items.size()), module));
        return module;
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    public List<M> items() {
        return Collections.unmodifiableList(items);
    }
}
