package io.github.unseg.methods;

import io.github.unseg.options.Option;
import io.github.unseg.segment.ModelIO;
import io.github.unseg.segment.Segmenter;

import java.util.List;
import java.util.function.Supplier;

/** One segmentation method: its name, menu title, settings (from the option table), segmenter and model reader. */
public final class Method {
    /** Short name: command line, macros, saved models ("kmeans"). */
    public final String name;
    /** Menu entry and dialog title ("K-means"). */
    public final String title;
    /** One line for help texts. */
    public final String summary;
    /** The options this method takes, in dialog order (its own, then the features'). */
    public final List<Option> options;
    final List<String> aliases;
    final Supplier<Segmenter> factory;
    final ModelIO.Reader reader;
    private final java.util.Map<Option, List<String>> refused = new java.util.HashMap<>();

    Method(String name, List<String> aliases, String title, String summary, Supplier<Segmenter> factory, ModelIO.Reader reader,
           List<Option> options) {
        this.name = name;
        this.aliases = aliases;
        this.title = title;
        this.summary = summary;
        this.factory = factory;
        this.reader = reader;
        this.options = options;
    }

    /** A segmenter with its default settings: the defaults of this method's options. */
    public Segmenter newSegmenter() { return factory.get(); }

    public boolean takes(Option o) { return options.contains(o); }

    /** Values of a choice this method refuses (CNN + K-means: preset photo), so that its dialog does not offer them. */
    Method refusing(Option o, String... values) {
        refused.put(o, List.of(values));
        return this;
    }

    /** The choices of o that this method takes. */
    public List<String> choices(Option o) {
        List<String> no = refused.get(o);
        if (no == null) return o.choices();
        List<String> out = new java.util.ArrayList<>(o.choices());
        out.removeAll(no);
        return out;
    }

    @Override public String toString() { return name; }
}
