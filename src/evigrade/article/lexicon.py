"""The words and patterns of the wording-strength rules (:mod:`evigrade.article.strength`):
causal verbs and predicates, association words, hedges, negators, recommendations, and the
contexts that make a verb form a modifier. Written from the annotation guidelines of Yu, Li &
Wang (EMNLP 2019) and Sumner et al. (BMJ 2014) and general English grammar; nothing here is
learned from labelled sentences.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _in_order(text: str) -> tuple[str, ...]:
    return tuple(text.split())


__all__ = [
    "ADVICE",
    "AUXILIARIES",
    "CAUSAL_ADJECTIVES",
    "CAUSAL_PREDICATES",
    "CAUSAL_VERBS",
    "CHANGE_VERBS",
    "CITATION",
    "CORRELATIONAL",
    "DETERMINERS",
    "EFFECT_BEFORE_GERUND",
    "HEDGE_ADVERBS",
    "HEDGE_MODALS",
    "HEDGE_VERBS",
    "INFINITIVE_FRAMES",
    "IRREGULAR",
    "MODALS",
    "MODIFIER_CONTEXT",
    "NEGATING_PHRASES",
    "NEGATORS",
    "NOT_AN_OBJECT",
    "NOT_HEALTH",
    "OBJECT_VERBS",
    "PARENTHETICAL",
    "PARTICLE",
    "PREDICATIVE",
    "QUANTITIES",
    "RECOMMENDATION",
    "REPORTING",
    "RISK_NOUNS",
    "SUBJECT_WORDS",
    "TOKEN",
    "VERBS_ONLY",
]

CAUSAL_VERBS = _in_order(
    "activate excite repress shape enable "
    "cause lead result produce induce trigger increase decrease reduce lower raise elevate "
    "boost improve enhance worsen aggravate exacerbate prevent protect inhibit suppress block "
    "alleviate relieve ease restore promote facilitate stimulate accelerate slow delay halt "
    "reverse cure treat heal benefit help harm damage impair affect influence impact modulate "
    "regulate alter contribute drive mediate extend shorten save kill eliminate curb cut "
    "combat counteract diminish attenuate mitigate minimise minimize strengthen weaken limit "
    "calm stabilise stabilize offset predispose shield fuel spur hinder hamper interfere "
    "disrupt lessen ameliorate normalise normalize make keep deplete speed spark provoke "
    "elicit amplify dampen change avoid maintain double halve triple restrict decline rise "
    "drop"
)
#: Verbs that also describe a change without an agent ("fT4 decreased over time", "pain was
#: reduced in both groups"): used so, they state an observed change, a correlational finding.
CHANGE_VERBS = _words(
    "increase decrease reduce lower raise elevate improve worsen change decline rise drop "
    "alter diminish shorten extend"
)
NOT_AN_OBJECT = _words(
    "up down sharply steadily dramatically even "
    "in across to from after during over among between at with within throughout since until "
    "when while whereas but and or than as only slightly significantly markedly substantially "
    ", . ; : ! ? compared versus vs for per more less again further overall "
    "following before under"
)
IRREGULAR = {
    "led": "lead",
    "leads": "lead",
    "leading": "lead",
    "drove": "drive",
    "driven": "drive",
    "made": "make",
    "makes": "make",
    "making": "make",
    "kept": "keep",
    "cuts": "cut",
    "cutting": "cut",
    "sped": "speed",
}
#: Causal adjectives stated of something ("X is effective", "appears safe"), not attributive
#: ("an effective strategy").
CAUSAL_ADJECTIVES = re.compile(
    r"\b(?:effective|efficacious|ineffective|beneficial|protective|harmful|detrimental|"
    r"safe|unsafe|well[- ]tolerated|toxic|curative|helpful|useful|successful|valuable|"
    r"advantageous|fatal|deadly|lethal|of (?:benefit|value|use|help))\b"
)
PREDICATIVE = _words(
    "is are was were be been being remain remains remained proved proven appears appear seems "
    "seem not and as very highly equally more most less also both considered found generally "
    "particularly especially similarly comparably still become becomes became shown deemed or "
    "quite extremely so too fairly relatively potentially possibly probably likely clinically"
)
#: Causal nouns and phrases: "has a beneficial effect", "plays a role in", "due to".
CAUSAL_PREDICATES = re.compile(
    r"\b(?:responsible for|"
    r"(?:key|major|important|main)? ?(?:cause|driver|determinant|trigger)s? (?:of|for)|"
    r"(?:has|have|had|show|shows|showed|exert|exerts|exerted|confer|confers|conferred|"
    r"provide|provides|provided|produce|produces|produced) (?:an? |no |any |the |little )?"
    r"(?:[a-z-]+ ){0,2}(?:effects?|benefits?|impacts?|influence|efficacy|advantages?|relief|"
    r"protection|improvements?|reductions?)|"
    r"(?:offer|offers|offered|bring|brings|brought|give|gives|gave|yield|yields|yielded) "
    r"(?:an? |no |any |the |some |significant )?(?:[a-z0-9-]+ ){0,3}"
    r"(?:relief|protection|benefits?|improvements?|reductions?|drops?|rises?|gains?|falls?)|"
    r"pos(?:e|es|ed|ing) (?:an? |no |any |the |some |significant )?(?:[a-z-]+ ){0,2}"
    r"(?:risks?|threats?|dangers?|hazards?)|"
    r"(?<!-)effectiveness|(?<!-)efficacy|(?:is|are|was|were) the result of|"
    r"plays? (?:an? )?(?:[a-z-]+ ){0,2}roles? in|played (?:an? )?(?:[a-z-]+ ){0,2}roles? in|"
    r"involved in|(?:critical|crucial|essential|key) (?:in|for|to)|"
    r"(?:a|an|the) (?:[a-z-]+ ){0,2}roles? (?:in|for|of)|"
    r"effects? (?:of|by|on)|effects? (?:is|are|was|were)|'s effects?|"
    r"benefits? (?:of|from|for|in|were|was|are)|benefit from|utility of|impact of|"
    r"protective factors?|causal(?:ly)?|"
    r"due to|because of|owing to|attributable to|as a result of|thanks to)\b"
)
CORRELATIONAL = re.compile(
    r"\b(?:associat(?:ed|es|e)(?= (?:[a-z-]+ ){0,2}with\b|\s*[,.;]|$)|"
    r"associations? (?=(?:[a-z-]+ ){0,3}(?:between|with|of)\b)|"
    r"correlat(?:ed|es|e|ion|ions)|"
    r"link(?:ed|s)? (?:to|with)|links? between|link(?:ed|s)? [a-z-]+ (?:to|with)|"
    r"(?<!in )relat(?:ed|ion) (?:to|with)|relationships? (?:between|with)|"
    r"relationships? of [a-z-]+ (?:with|to)|"
    r"predict(?:s|ed|or|ors)?\b|predictive of|risk factors?|"
    r"(?:herald|precede|signal|accompan(?:y|ie))(?:s|d|ed)?\b|"
    r"(?:more|less|as|equally|times) likely|likelier|risks? (?:of|for)|at (?:[a-z-]+ )?risk|"
    r"(?:more|less) common|indicators? of|"
    r"odds|tied to|connected (?:to|with)|connection between|coincid(?:e|ed|es)|"
    r"differ(?:ed|s)? (?:between|by|from|among)|differences? (?:in|between)|"
    r"(?:higher|lower|greater|fewer|more|less|larger|smaller|increased|decreased|reduced|"
    r"elevated|longer|shorter|worse|better|poorer|older|younger|improved) "
    r"(?:[a-z-]+ ){0,6}(?:than|compared|versus|vs|relative to)"
    r"(?! (?:\d|half|one|two|three|a (?:third|quarter|half)|twice|previously|reported|expected|"
    r"recommended|usual|common recommendations))|"
    r"(?:worse|better|poorer|longer|shorter) (?:[a-z-]+ ){0,2}(?:survival|outcomes?|prognosis|"
    r"function|health)|"
    r"(?:higher|lower|greater|increased|decreased|reduced|elevated|excess) "
    r"(?:[a-z-]+ ){0,2}(?:risk|rates?|odds|levels?|prevalence|incidence|likelihood|chances?|"
    r"mortality|scores?)|"
    r"(?:at|an?) (?:increased|higher|greater|lower|reduced|decreased|elevated) risk|"
    r"marker of|markers of|(?:are|is|was|were) common(?:er)? (?:in|among)|"
    r"trend(?:s|ed)? (?:toward|towards)|in line with|points? to|pointed to|linking|"
    r"(?:more|less|particularly|especially) (?:vulnerable|susceptible|prone)|"
    r"(?<!low )(?<!high )(?<!at )[a-z]+ risks?(?! (?:factors?|score|scores|stratification|groups?|"
    r"patients|assessment|profile))|"
    r"(?:highest|lowest|greatest) (?:[a-z-]+ )?(?:rates?|risks?|levels?|prevalence|incidence)|"
    r"(?:every|each|per) (?:[a-z0-9-]+ )?(?:increase|decrease|rise|fall) in|"
    r"(?:more|less) (?:often|frequently)|fared (?:worse|better)|(?:up|down)-?regulated|"
    # a group's comparative predicate: "were higher among", "had better HRQOL", "showed lower"
    r"(?:is|are|was|were) (?:also |significantly |slightly |much |markedly )?(?:higher|lower|"
    r"greater|smaller|older|younger|worse|better|poorer|shorter|longer|more common)|"
    r"(?:had|have|has|showed|show|shows|exhibited|displayed) (?:a |an |the )?(?:significantly |"
    r"slightly |much |markedly )?(?:higher|lower|greater|better|worse|more|less|fewer|poorer|"
    r"worst|best|lowest|highest|longer|shorter|increased|decreased|elevated|reduced))\b"
)
HEDGE_MODALS = _words("may might could would possibly potentially")
HEDGE_ADVERBS = _words(
    "possibly potentially probably perhaps plausibly presumably likely potential possible putative"
)
HEDGE_VERBS = re.compile(
    r"\b(?:appears?|appeared|seems?|seemed|tends?|tended) to\b|"
    r"\b(?:hypothesi[sz]e[sd]?|speculate[sd]?|raises? the possibility) (?:that )?|"
    r"\bit is (?:possible|plausible|likely) that\b|\bhas the potential to\b|"
    r"\bhave the potential to\b|\b(?:is|are) likely to\b|\bpotential (?:to|for)\b|"
    r"\bpromising\b"
)
NEGATORS = _words("not no never neither nor cannot none without nothing non")
NEGATING_PHRASES = re.compile(
    r"\b(?:failed|fail|fails|unable) to\b|\black of\b|\babsence of\b|\bunrelated to\b|"
    r"\bnot significantly\b|\bno significant\b|\bno (?:clear|consistent|strong|evidence)\b"
)
#: Words before an -ed / -ing form that make it a modifier ("an increased risk", "with reduced
#: pain", "of increasing age") rather than the verb of the sentence.
MODIFIER_CONTEXT = _words(
    "a an the with of and or in for to their its his her our these those this at from on "
    "among than more less most significantly greatly markedly substantially slightly modestly "
    "as any no"
)
#: Frames that report a finding without being one ("we found that", "the study shows").
REPORTING = re.compile(
    r"\b(?:found|find|finds|show|shows|showed|shown|demonstrate[sd]?|reveal(?:s|ed)?|"
    r"indicate[sd]?|report(?:s|ed)?|confirm(?:s|ed)?|conclude[sd]?|observe[sd]?|"
    r"note[sd]?|say|says|said|suggests?|suggested|suggesting|implies|implied) (?:that )?"
)
#: A recommendation or a call for research: what follows it is not a finding ("strategies to
#: reduce X should be developed", "further studies are needed to determine the effect").
RECOMMENDATION = re.compile(
    r"\b(?:should|must|ought to|need(?:s|ed)? to|(?:is|are) (?:needed|required|warranted|"
    r"necessary|recommended)|warrant(?:s|ed)?|merits?|requires?|justif(?:y|ies)|"
    r"(?:we|they|guidelines?|experts?) recommend(?:s|ed)?|recommends|"
    r"further (?:research|studies|investigation|work|trials)|"
    r"future (?:research|studies|trials)|highlights? the need|calls? for|whether|"
    r"to (?:investigate|examine|study|assess|evaluate|determine|explore|test|understand|"
    r"clarify|measure|compare|establish|see) (?:if|whether|the (?:[a-z-]+ )?(?:effects?|impact|"
    r"role|benefits?|efficacy|effectiveness|safety|influence))|to find out)\b"
)
#: The verbs of a recommendation as the sentence's main statement.
ADVICE = re.compile(
    r"\b(?:should|must|ought to|need(?:s|ed)? to|ha(?:s|ve) to|(?:is|are) (?:needed|required|"
    r"warranted|necessary|recommended))\b"
)
TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*|n['’]t|[,;:.!?]")
CITATION = re.compile(r"\[[\s\d,;–—-]*\]|\((?:\s*\d+\s*[,;–-]?)+\)")
PARENTHETICAL = re.compile(r"\([^()]*\)")
PARTICLE = {"lead": "to", "result": "in", "contribute": "to"}
QUANTITIES = _words(
    "about approximately nearly almost around some up over more fewer one two three four five "
    "six seven eight nine ten hundreds thousands millions many most half"
)
#: Nouns after which an -ed form is the adjective of a comparison ("an increased risk").
RISK_NOUNS = _words(
    "risk risks rate rates odds incidence prevalence likelihood chance chances levels level "
    "mortality morbidity"
)
#: Verbs after which an -ed form is an adjective: "identified increased markers", "had
#: elevated blood pressure", "showed lower stores".
OBJECT_VERBS = _words(
    "had has have show shows showed shown saw see sees identified found observed revealed "
    "reported noted demonstrated detected exhibited displayed experienced"
)
NOT_HEALTH = _words(
    "explain understand inform clarify identify guide determine us you readers clinicians "
    "doctors researchers people decide answer"
)
AUXILIARIES = _words("is are was were be been being get gets got")
MODALS = _words("may might could can would will should must cannot")
SUBJECT_WORDS = _words(
    "it they we which that who this also not do does did both each further thereby directly "
    "still often usually actually indeed thus and or generally consistently"
)
#: "appears to reduce", "was shown to improve", "helps to relieve": infinitives that carry the
#: finding. Any other "to" + verb is one of purpose ("strategies to reduce", "aimed to improve").
INFINITIVE_FRAMES = _words(
    "appear appears appeared seem seems seemed likely tend tends tended potential help helps "
    "helped able shown found known thought believed expected proven proved reported "
    "demonstrated observed said unlikely continue continues go goes went used serve serves "
    "served fail fails failed failing unable way ways means"
)
#: Words after which "in" or "at" + a gerund states an effect: "effective in reducing pain",
#: "the potential of X in preventing Y", "a key role in protecting".
EFFECT_BEFORE_GERUND = _words(
    "effective successful useful helpful potential role efficacy effectiveness benefit "
    "beneficial important crucial critical key instrumental efficacious futile ineffective "
    "unsuccessful"
)
#: Causal verbs that are not also nouns or adjectives: a bare form of one is a verb wherever
#: it follows a word that is not a determiner ("antivirals for HCV improve kidney function").
VERBS_ONLY = _words(
    "improve reduce prevent protect enhance worsen alleviate relieve inhibit suppress promote "
    "induce restore stimulate exacerbate aggravate attenuate mitigate ameliorate impair "
    "diminish lessen hinder hamper counteract predispose elevate accelerate facilitate "
    "modulate regulate weaken strengthen eliminate minimise minimize halve restrict avoid "
    "maintain contribute prolong alter"
)
DETERMINERS = _words(
    "the a an their its his her our your both all some many most these those this that any "
    "each every no"
)
