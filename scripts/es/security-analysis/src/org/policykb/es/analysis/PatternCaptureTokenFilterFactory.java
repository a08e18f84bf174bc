/*
 * The "pattern_capture" token filter (as in Elasticsearch's analysis-common module, which
 * the integ-test-zip lacks): emits every group captured by any of the patterns, and the
 * original token when preserve_original is true (the default). The security index's
 * "email" analyzer needs it.
 */
package org.policykb.es.analysis;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.BooleanSetting;
import org.elasticsearch.plugin.settings.ListSetting;

@NamedComponent("pattern_capture")
public class PatternCaptureTokenFilterFactory implements TokenFilterFactory {

    @AnalysisSettings
    public interface Settings {
        @ListSetting(path = "patterns")
        List<String> patterns();

        @BooleanSetting(path = "preserve_original", defaultValue = true)
        boolean preserveOriginal();
    }

    private final Pattern[] patterns;
    private final boolean preserveOriginal;

    // Elasticsearch also makes one instance with empty settings under the component's own
    // name, so a missing [patterns] is reported only when the filter is used.
    @Inject
    public PatternCaptureTokenFilterFactory(Settings settings) {
        List<String> sources = settings.patterns();
        this.patterns = sources == null ? new Pattern[0] : sources.stream().map(Pattern::compile).toArray(Pattern[]::new);
        this.preserveOriginal = settings.preserveOriginal();
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        if (patterns.length == 0) {
            throw new IllegalArgumentException("pattern_capture: [patterns] must not be empty");
        }
        return new PatternCaptureGroupTokenFilter(tokenStream, preserveOriginal, patterns);
    }
}
