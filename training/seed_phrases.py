"""Phrase banks for the project's own seed corpus (see :mod:`training.seed_corpus`).

Every phrase here was written for this project. Banks are tuples of strings; a string may contain ``{slot}``
references that :mod:`training.seed_corpus` expands recursively from :data:`BANKS` (or from a topic's own
slots ``{subj}``, ``{ppl}`` and ``{fact}``). Some slots (numbers, dates, URLs, names) are generated in code.

Warning: the abuse banks contain deliberately offensive language, slurs included. They exist so that a
classifier can learn to recognise abuse; they are training data, not opinions.
"""

from __future__ import annotations


def _lines(block: str) -> tuple[str, ...]:
    """Split a block of text into a tuple of its non-empty, stripped lines."""
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


# --------------------------------------------------------------------------------------------------------
# Topics: each has things people discuss (subj), people or institutions involved (ppl) and facts/claims.
# --------------------------------------------------------------------------------------------------------

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "transit": {
        "subj": _lines("""
            the new tram line
            the bus network redesign
            the bike lane on Harbour Street
            the fare increase
            the night bus service
            the ring road extension
            the parking fees downtown
            the station renovation
            the congestion charge
            the cycle path along the river
        """),
        "ppl": _lines("""
            the city council
            the transport authority
            the mayor
            the planning committee
            the councillors who voted yes
            the opposition bloc
            the regional government
        """),
        "fact": _lines("""
            The tram was supposed to open in {year} and it is still not finished.
            My commute went from 25 minutes to almost an hour since they cut route {num}.
            Half the buses on my line were cancelled last week without any notice.
            The consultation only had {num} responses, which tells you how badly it was advertised.
            Every city that built light rail saw property values near the stops go up.
            They closed the bridge for repairs for {num} months and nobody planned a detour.
            The old timetable had a bus every 10 minutes, now it is every 20 at best.
            The budget for the line went from 300 million to almost 500 million.
            Trams are quieter than buses and they do not get stuck in traffic.
            The stop outside the hospital was removed, which makes no sense at all.
        """),
    },
    "local": {
        "subj": _lines("""
            the new library branch
            the closure of the swimming pool
            the farmers market
            the school merger
            the plan to rezone the old factory site
            the noise complaints about the stadium
            the potholes on Elm Road
            the street lighting project
            the flood defences
            the new housing development
            the rubbish collection schedule
            the dog park
        """),
        "ppl": _lines("""
            the local council
            our district representative
            the neighbourhood association
            the developers
            the parks department
            the school board
            the residents committee
        """),
        "fact": _lines("""
            We have been asking for a crossing outside the primary school for six years.
            The pool was built in 1974 and it has been patched up ever since.
            Rents in our street went up {pct} percent in two years.
            The market brings a lot of people into the old town every Saturday.
            Bin collection moved to every other week and the foxes are loving it.
            The meeting is on {date} at the community centre if anyone wants to go.
            There used to be three banks on the high street and now there are none.
            The developer promised affordable units and then quietly dropped them.
            My grandparents lived on this street for fifty years and they would not recognise it.
            The volunteers cleaned up the riverbank last weekend and collected {num} bags of litter.
        """),
    },
    "politics": {
        "subj": _lines("""
            the new budget
            the tax reform
            the election result
            the coalition deal
            the proposed voting law
            the minimum wage increase
            the pension changes
            the debate last night
            the immigration bill
            the healthcare plan
            the defence spending
            the referendum
        """),
        "ppl": _lines("""
            the government
            the opposition
            the prime minister
            the president
            the senator
            the finance minister
            both parties
            parliament
            the governor
            the party leadership
        """),
        "fact": _lines("""
            Turnout was around {pct} percent, the lowest in decades.
            The bill passed by just {num} votes after a very long session.
            Polls had the race tied a week before the vote.
            The same promise was made in the last three campaigns.
            The independent budget office says the numbers do not add up.
            Both candidates avoided the question about housing during the debate.
            The law would not take effect until {year} anyway.
            A lot of young people registered to vote for the first time this year.
            The committee report is public, it is worth reading the actual recommendations.
            Every government says it will cut waste and none of them ever do.
        """),
    },
    "economy": {
        "subj": _lines("""
            inflation
            the interest rate decision
            the jobs report
            fuel prices
            the housing market
            the trade deal
            grocery prices
            the minimum wage
            the factory closure
            the strike at the port
            energy bills
        """),
        "ppl": _lines("""
            the central bank
            the big supermarkets
            economists
            the unions
            the employers
            the energy companies
            small business owners
        """),
        "fact": _lines("""
            My weekly shop costs about {price} now, it was half that a few years ago.
            Unemployment fell to {pct} percent last quarter according to the statistics office.
            Rates went up {num} times in eighteen months.
            The plant employed almost {num} people, that is a huge hit for a small town.
            Wages have not kept up with rent for at least ten years.
            Petrol was {price} a litre this morning at the station near me.
            Most of the new jobs are part time or on zero hour contracts.
            Shipping costs doubled and of course the shops passed it straight on to us.
            My pension fund lost money last year and gained it back this year.
            The strike is about safety as much as pay, read the union statement.
        """),
    },
    "health": {
        "subj": _lines("""
            the hospital waiting times
            the new vaccine
            the flu season
            the closure of the maternity ward
            mental health services
            the sugar tax
            the nurses' pay deal
            the GP shortage
            the new cancer treatment
            the smoking ban
        """),
        "ppl": _lines("""
            the health ministry
            the hospital trust
            doctors
            the nurses union
            the researchers
            public health officials
        """),
        "fact": _lines("""
            I waited {num} hours in A&E with my dad last month.
            My sister is a nurse and she works twelve hour shifts with no break.
            The trial had over {num} participants, which is a decent sample.
            Getting a GP appointment here takes three weeks minimum.
            Regular exercise does more for blood pressure than most people think.
            The ambulance took forty minutes to arrive for my neighbour.
            Screening rates dropped during the pandemic and they never fully recovered.
            The study was observational, so it cannot prove cause and effect.
            My mum got the new treatment and she is doing so much better.
            Therapy waiting lists are over a year long in some areas.
        """),
    },
    "science": {
        "subj": _lines("""
            the new telescope images
            the Mars mission
            the fusion experiment
            the fossil discovery
            the study on sleep
            the gene therapy trial
            the climate report
            the particle physics result
            the deep sea survey
            the asteroid flyby
        """),
        "ppl": _lines("""
            the researchers
            the space agency
            the university team
            the journal editors
            the scientists
            the authors of the paper
        """),
        "fact": _lines("""
            The paper was peer reviewed and published in a major journal.
            The sample size was only {num}, so I would wait for a replication.
            The images show galaxies from more than thirteen billion years ago.
            The fossil is around {num} million years old according to the dating.
            Fusion has been twenty years away for about sixty years now.
            The probe travelled for almost seven years before reaching orbit.
            Correlation is not causation, the article kind of glosses over that.
            The dataset and code are public, which is great for transparency.
            The experiment produced more energy than the lasers put in, but not the whole facility.
            Octopuses keep surprising researchers, they are incredibly smart.
        """),
    },
    "climate": {
        "subj": _lines("""
            the heatwave
            the storm warning
            the flooding
            the drought
            the wildfire season
            the forecast for the weekend
            the snowfall
            the new wind farm
            the solar panel subsidy
            the emissions target
        """),
        "ppl": _lines("""
            the met office
            the weather service
            the emergency services
            the environment agency
            farmers
            the energy regulator
        """),
        "fact": _lines("""
            It hit {num} degrees here yesterday, the hottest day I can remember.
            The river burst its banks again, third time in five years.
            We had no rain for {num} weeks and the reservoir is at {pct} percent.
            The storm brought down trees all along the coast road.
            Our solar panels paid for themselves in about eight years.
            Insurance for houses near the river has become impossible to get.
            The forecast said light showers and we got hail the size of marbles.
            The firefighters worked through the night to save the village.
            Snow in April is not that unusual here, it happened in {year} too.
            Heat pumps work fine in cold climates, Scandinavia uses them everywhere.
        """),
    },
    "tech": {
        "subj": _lines("""
            the new phone
            the software update
            the data breach
            the AI chatbot
            the social media ban for teenagers
            the outage yesterday
            the new privacy law
            electric cars
            the game console price
            the password manager
            the self driving taxis
            open source software
        """),
        "ppl": _lines("""
            the tech companies
            the developers
            the regulators
            the company
            the engineers
            the app makers
            the support team
        """),
        "fact": _lines("""
            The update drained my battery by lunchtime for two days.
            The breach exposed around {num} thousand customer records.
            I switched to Linux last year and have not looked back.
            The outage lasted about {num} hours and took down half the internet.
            My laptop is seven years old and still runs fine with an SSD.
            The model makes things up sometimes, you have to double check everything.
            Two factor authentication would have prevented most of this.
            The charging network has improved a lot since {year}.
            Right to repair laws would save people a lot of money.
            The app now asks for location permission for no reason.
        """),
    },
    "sports": {
        "subj": _lines("""
            the match on Saturday
            the transfer window
            the new coach
            the referee decision
            the final
            the relegation battle
            the injury news
            the playoff game
            the marathon
            the derby
            the title race
            the Olympic team selection
        """),
        "ppl": _lines("""
            the manager
            the players
            the club owners
            the referee
            the league
            the fans
            the coaching staff
            the captain
        """),
        "fact": _lines("""
            We conceded in the {num}th minute again, same story every week.
            The striker has scored {num} goals in his last ten games.
            That was the best second half I have seen from this team in years.
            The VAR check took almost five minutes, it kills the atmosphere.
            Ticket prices went up again and the stadium was half empty.
            They won {num} to 1 away from home, which nobody expected.
            Our defence has been shaky since the captain got injured.
            The rookie played like a veteran tonight.
            Three points is three points, even if it was ugly.
            The away fans were brilliant, you could hear them the whole match.
        """),
    },
    "music": {
        "subj": _lines("""
            this song
            the music video
            the chorus
            this album
            the live version
            the new single
            the concert last night
            the guitar solo
            this cover
            the tour
        """),
        "ppl": _lines("""
            the band
            she
            he
            the singer
            the producer
            the drummer
            the whole crew
        """),
        "fact": _lines("""
            I have listened to this on repeat since {year}.
            This song played at my wedding and I still get chills.
            The bridge at {time} is the best part of the whole song.
            My dad used to play this in the car every summer.
            Saw them live in {year}, still one of the best nights of my life.
            The choreography in this video is unreal.
            The bass line carries the whole track.
            This was the soundtrack of my last year of school.
            Who else is still listening to this in {year}?
            Over a billion views and it deserves every single one.
        """),
    },
    "culture": {
        "subj": _lines("""
            the new series
            the film
            the museum exhibition
            the book
            the festival
            the theatre production
            the finale
            the documentary
            the art installation in the square
            the award show
        """),
        "ppl": _lines("""
            the director
            the writers
            the cast
            the author
            the organisers
            the curators
            the critics
        """),
        "fact": _lines("""
            The first season was brilliant, the second one dragged a bit.
            The exhibition runs until {date} and entry is free on Sundays.
            I read the book twice before the film came out.
            The lead actress carried the whole movie.
            The festival sold out in {num} minutes this year.
            The soundtrack alone is worth the ticket.
            The ending was rushed, they needed one more episode.
            The documentary interviews people who were actually there.
            My book club picked it for next month.
            The play runs about two and a half hours with an interval.
        """),
    },
    "food": {
        "subj": _lines("""
            this recipe
            the sourdough
            the lasagna
            the curry
            the banana bread
            the soup
            the new restaurant on Main Street
            the vegan version
            the marinade
            the cookies
        """),
        "ppl": _lines("""
            the chef
            my kids
            my partner
            my grandmother
            the whole family
            my flatmates
        """),
        "fact": _lines("""
            I used half the sugar and it was still plenty sweet.
            Baked it for {num} minutes at 180 and it came out perfect.
            You can swap the butter for olive oil, it works fine.
            I added a pinch of smoked paprika and it made a huge difference.
            Let the dough rest overnight in the fridge, trust me.
            It freezes really well, I always make a double batch.
            My starter is three years old and still going strong.
            I had no fresh basil so I used dried and it was okay.
            Toast the spices first, it brings out so much flavour.
            We ate there on Friday, the portions are big and prices are fair.
        """),
    },
    "travel": {
        "subj": _lines("""
            the trip
            the hiking trail
            the train journey
            the hotel
            the old town
            the beach
            the airport chaos
            the new visa rules
            the ferry crossing
            the night train
        """),
        "ppl": _lines("""
            the airline
            the locals
            the tour guide
            the hotel staff
            the border officers
            the tourist board
        """),
        "fact": _lines("""
            We went in {month} and it was much quieter than summer.
            The train takes about {num} hours but the views are incredible.
            Book the ferry early, it sells out in high season.
            Our flight was delayed six hours and we got a meal voucher.
            The trail is steep in places, bring proper boots.
            Most places take cards but the little cafes want cash.
            We stayed in a family run guesthouse and they were lovely.
            The museum pass saved us a lot of money.
            It rained every single day and we still loved it.
            Learn a few words of the language, people really appreciate it.
        """),
    },
    "wiki": {
        "subj": _lines("""
            this article
            the lead section
            the infobox
            the references section
            the edit history
            the talk page
            the deletion discussion
            the citation needed tag
            the neutrality tag
            the early life section
            the merge proposal
            the disambiguation page
        """),
        "ppl": _lines("""
            the other editors
            the admins
            the reviewers
            the original author
            the editors on this page
            the people at the noticeboard
        """),
        "fact": _lines("""
            I reverted your edit because the source is unreliable.
            Please discuss major changes here before making them.
            The claim needs a reliable secondary source, a blog post is not enough.
            I have added three citations from peer reviewed journals.
            This reads like an advertisement and should be rewritten in a neutral tone.
            Per the manual of style, dates should be formatted consistently.
            I think the subject meets the notability guideline, there is significant coverage.
            The section is original research unless someone can cite it.
            I restored the paragraph that was removed without explanation.
            Consensus on the talk page was to keep the current title.
            Could you explain why you removed the image? It has a free license.
            The birth date conflicts between the two sources, we should note both.
            I have nominated the page for deletion, feel free to comment on the discussion.
            Thanks for fixing the broken links in the references.
            Please sign your comments on talk pages with four tildes.
            The infobox should use the official name, not the nickname.
            This was already discussed in the archive, see the thread from {year}.
            I moved the trivia into the main text where it fits.
            Welcome to the project! Let me know if you have questions about editing.
            The copyright status of that photo is unclear, so I tagged it.
        """),
    },
    "education": {
        "subj": _lines("""
            the exam results
            the new curriculum
            the teacher strike
            tuition fees
            the school lunch program
            the homework policy
            the university rankings
            the phone ban in schools
            student loans
        """),
        "ppl": _lines("""
            the teachers
            the education ministry
            the headteacher
            the students
            the parents
            the university
        """),
        "fact": _lines("""
            My daughter's class has {num} kids in it and one teacher.
            I still owe money on my student loan from {year}.
            The phone ban at our school actually worked, kids talk to each other again.
            Teachers buy supplies with their own money, that should not happen.
            Grades went up but nobody can agree why.
            My son's school lost its music teacher because of cuts.
            Free school meals make a real difference for a lot of families.
            Apprenticeships deserve as much respect as university degrees.
        """),
    },
    "crime_news": {
        "subj": _lines("""
            the robbery on Station Road
            the court case
            the shooting downtown
            the stabbing near the park
            the burglaries in our area
            the trial verdict
            the police response
            the fraud investigation
            the arson attack on the warehouse
            the missing person case
        """),
        "ppl": _lines("""
            the police
            the prosecutors
            the judge
            the jury
            the detectives
            the defence lawyers
            the witnesses
        """),
        "fact": _lines("""
            According to the report, the suspect threatened the clerk with a knife before running off.
            Police say the shooting downtown was not random and the victims knew the attacker.
            The man was charged with assault and will appear in court on {date}.
            Two people were killed in the crash and the driver was arrested at the scene.
            The suspect threatened to kill his neighbour and was later detained.
            Three cars were broken into on our street last week.
            He was sentenced to {num} years for armed robbery.
            The victim's family asked for privacy while the investigation continues.
            The attacker was shot by police after stabbing two people.
            Witnesses said they heard gunshots around midnight.
            The jury found her not guilty on all counts.
            Police are asking anyone with dashcam footage to come forward.
            The gang was smuggling drugs through the port for years.
            Hate crimes reported in the city rose last year, according to the report.
        """),
    },
    "society": {
        "subj": _lines("""
            the refugee resettlement program
            the new mosque
            the pride parade
            the synagogue security funding
            the accessibility rules for shops
            the church restoration
            the migrant workers' conditions
            the women's football league
            the disability benefits reform
            the interfaith festival
            the Lunar New Year celebration
            the same sex marriage vote
            the indigenous land agreement
        """),
        "ppl": _lines("""
            the organisers
            the community leaders
            the volunteers
            the local imam
            the rabbi
            the priest
            the charity
            the advocacy group
            the families
        """),
        "fact": _lines("""
            As a Muslim I appreciated how fairly the article covered the mosque opening.
            My Jewish neighbours organised the food drive this year and it was a huge success.
            The gay couple who run the bakery on our street are the nicest people.
            Immigrants make up a big share of the nurses at our hospital.
            As a wheelchair user I can say the new low floor trams are a big improvement.
            The Black history exhibition at the library is really well done.
            My grandparents came here as refugees in the sixties and built a life from nothing.
            The trans support group meets at the community centre on Thursdays.
            Our church and the mosque down the road do the winter shelter together.
            The Chinese New Year parade is the best event of the year in our town.
            Women's football has grown so much, the final sold out.
            Deaf people have been asking for captions on council meetings for years.
            The Mexican restaurant that opened last year is always packed.
            Hindu and Sikh volunteers ran the free kitchen during the floods.
            Autistic kids need better support in mainstream schools.
            The Polish community here has its own Saturday school.
        """),
    },
    "gaming": {
        "subj": _lines("""
            the patch notes
            the new season
            the remaster
            the battle pass
            the tournament
            the speedrun
            the open world map
            the sequel
        """),
        "ppl": _lines("""
            the devs
            the studio
            the publisher
            the streamers
            the community
            the modders
        """),
        "fact": _lines("""
            I have {num} hours in this game and I still find new things.
            The patch nerfed my favourite build into the ground.
            The servers were down for the whole launch weekend.
            The modding scene kept this game alive for ten years.
            The final boss took me about forty tries.
            Microtransactions in a full price game are annoying.
        """),
    },
    "pets": {
        "subj": _lines("""
            the rescue dog
            the cat video
            the adoption day
            the wildlife rescue
            the vet bills
            the bird feeder
            the hedgehog
        """),
        "ppl": _lines("""
            the shelter
            the vets
            the volunteers
            the rescue team
        """),
        "fact": _lines("""
            We adopted a greyhound last year and he sleeps about twenty hours a day.
            My cat knocks everything off the table while looking at me.
            The shelter is full again after the holidays.
            Vet bills are crazy, get insurance while they are young.
            A fox visits our garden every night around {time}.
        """),
    },
}


# --------------------------------------------------------------------------------------------------------
# Ordinary comment building blocks.
# --------------------------------------------------------------------------------------------------------

HAM_OPENERS = _lines("""
    Honestly,
    As someone who lives here,
    Interesting article.
    Good piece.
    To be fair,
    I have to say,
    Not sure about this, but
    Speaking as a parent,
    As a nurse,
    As a teacher,
    As a small business owner,
    From experience,
    For what it's worth,
    I read the whole thing and
    Correct me if I'm wrong, but
    Just to add some context,
    Hmm.
    Well,
    Okay so
    In my opinion,
    Genuine question:
    Quick note:
    Having grown up in the area,
    I was at the meeting and
    My two cents:
    Fair point, but
    Agree with most of this, but
    Thanks for covering this.
    Long time reader here.
    First time commenting.
""")

HAM_CLOSERS = _lines("""
    Just my two cents.
    Thanks for the article.
    Great reporting as always.
    Curious what others think.
    Anyway, good read.
    Let's see what happens.
    Time will tell.
    Hope they sort it out soon.
    Thanks for writing this up.
    Would love a follow up piece on this.
    Keep up the good work.
    Fingers crossed.
    We'll see.
    Happy to be proven wrong.
    Stay safe everyone.
    Cheers.
    Have a good weekend all.
    Thanks!
    Interesting times.
    Food for thought.
""")

HAM_OPINIONS = _lines("""
    I think {subj} is a good idea, but the timing is off.
    I'm in favour of {subj}, it has been needed for years.
    I'm not convinced {subj} will change much for ordinary people.
    {ppl} should publish the full figures before deciding anything about {subj}.
    Does anyone know when {subj} actually starts?
    I'd like to know who is paying for {subj}.
    The article explains {subj} better than anything {ppl} have put out.
    Honestly {subj} is the first sensible thing {ppl} have done in a while.
    I had mixed feelings about {subj} at first, but the article changed my mind.
    People keep complaining about {subj} but nobody offers an alternative.
    {subj} sounds great on paper, let's see how it works in practice.
    It would help if {ppl} explained {subj} in plain language.
    I went to the info session about {subj} and it answered most of my questions.
    My neighbours are split on {subj}, it's a lively topic on our street.
    What happens to the people affected by {subj} in the meantime?
    I'm cautiously optimistic about {subj}.
    I don't have strong feelings about {subj} either way.
    Credit where it's due, {ppl} handled {subj} pretty well.
    {subj} is overdue, other places did this a decade ago.
    There's a lot of misinformation about {subj} going around, this article helps.
    I wish {ppl} had listened to residents about {subj}.
    Has anyone actually read the report on {subj}? It's more nuanced than the headline.
    I changed my mind on {subj} after talking to people who work in the field.
    The comments here about {subj} are more informative than most news coverage.
    I support {subj} but the cost estimate seems optimistic.
    Would be good to hear from {ppl} directly about {subj}.
    Really glad someone is finally talking about {subj}.
    I'm sceptical, {ppl} have promised things like {subj} before.
    Loved {subj}, thanks for sharing!
    {subj} was way better than I expected.
    Can someone explain what {subj} means for renters?
    {ppl} deserve some credit for {subj}, even if it's not perfect.
    Why is nobody asking {ppl} about the long term effects of {subj}?
    {subj} affects my family directly so I'm following this closely.
    I'm not an expert but {subj} seems reasonable to me.
    In {year} we had the same debate about {subj} and nothing happened.
    I voted against {subj} but I accept the result.
""")

HAM_SHORT = _lines("""
    great article
    good read
    thanks for sharing
    lol
    lmao
    this
    so true
    well said
    agreed
    interesting
    nice
    love this
    beautiful
    wow
    same here
    me too
    haha
    this is gold
    very informative
    thank you
    great video
    love this song
    amazing
    so good
    underrated
    fair enough
    good point
    exactly
    true
    nice work
    what a game
    cheers for this
    brilliant piece
    excellent reporting
    totally agree
    not bad at all
    who's here in {year}?
    still a banger
    classic
    this made my day
    rip
    congrats!
    finally
    about time
    sad news
    thoughts with the families
    happy birthday!
    so cute
    omg yes
    +1
    this aged well
    needed this today
    10/10
    I'm crying
    goosebumps
    first time hearing this, wow
    legend
    quality content
    helpful, thanks
    source?
    any updates?
    wait what
    good question
    that's fair
    makes sense
    nope
    yes!
    same
    bump
    facts
    respect
    cool
    ok
    Love it!
    Well written.
    Very sad.
    Great photos.
""")

HAM_QUESTIONS = _lines("""
    Does anyone know if the meeting is open to the public?
    Where can I find the full report?
    What time does it start?
    Is this the same plan they rejected in {year}?
    How much is this going to cost taxpayers?
    Who is responsible for maintenance after it's built?
    Has anyone tried this recipe with gluten free flour?
    What's the name of the song at {time}?
    Is there a transcript of the interview somewhere?
    Are the trains running on Sunday?
    Can anyone recommend a good mechanic in the north end?
    How long did the trail take you?
    Is the museum open on Mondays?
    What does the study actually say about children?
    Did they say why the vote was postponed?
    Why was my comment removed? It didn't break any rules.
    Which source are you using for that number?
    Could you link the discussion where consensus was reached?
    Is there a way to watch the match online legally?
    Any idea when the results come out?
    What camera was this shot on?
    Is this available in other languages?
    How do I apply for the rebate?
    Will the library keep its opening hours?
    Does the ticket include the ferry?
""")

HAM_REPLIES = _lines("""
    @{handle} good point, I hadn't thought of that.
    @{handle} I see where you're coming from but I disagree.
    @{handle} thanks for the link, very helpful.
    @{handle} that's not what the article says though.
    @{handle} exactly what I was going to say.
    Replying to {name}: the numbers are in the second paragraph.
    {name}, I think you're mixing up two different proposals.
    @{handle} haha same, my dog does the exact same thing
    @{handle} can you share the source for that?
    @{handle} fair enough, we'll have to agree to disagree.
    @{handle} sorry for your loss.
    @{handle} you're right, I misread it. My mistake.
    @{handle} welcome to the neighbourhood!
    @{handle} which branch was that? Mine is fine.
    {name} makes a good point above.
    To the person asking about parking: there's a free lot behind the church.
    @{handle} not sure that's accurate, the council minutes say otherwise.
    @{handle} I had the same experience, took ages to get sorted.
    @{handle} lol fair
    @{handle} this is the best comment here
""")

HEATED_OK = _lines("""
    This is the worst policy decision I've seen in years and I'll be voting against it.
    Strongly disagree. The evidence just doesn't support this.
    What a complete waste of money. {ppl} should be embarrassed by {subj}.
    Oh great, another consultation. Because the last ten worked so well.
    Sure, let's spend millions on {subj} while the roads fall apart. Brilliant plan.
    Damn, that's a tough situation for those families.
    Hell yes! Finally some good news.
    The service has been crap for years and nobody seems to care.
    This article is one sided and ignores half the facts.
    I'm sick and tired of {ppl} ignoring what residents want.
    That was a terrible decision by the referee, it cost us the game.
    Sorry but this argument makes no sense at all.
    The mayor's plan is a disaster and she should reverse it.
    Ridiculous. How is this still legal?
    The reporting on {subj} has been lazy and sensational.
    I couldn't disagree more. This will hurt the people it claims to help.
    Unbelievable incompetence from {ppl} on {subj}.
    The minister's answer was evasive and frankly insulting to voters.
    What the heck were they thinking?
    Damn this song still hits hard.
    That ending was a hot mess, the writers dropped the ball.
    Oh please. Nobody believes these numbers.
    Stop pretending {subj} is free. Someone always pays.
    The defence was absolutely awful tonight, no excuses.
    This is a ridiculous waste of police time.
    I'm furious about {subj}. Writing to my representative today.
    This is propaganda dressed up as journalism.
    Your argument ignores basic economics, but I appreciate you engaging.
    That policy killed small businesses on our high street.
    The movie was boring as hell, but the soundtrack was great.
    Crap weather again, so much for summer.
    I hate Mondays.
    I hate how expensive everything has become.
    My team got destroyed tonight, absolutely brutal.
    That's a killer recipe, thanks!
    The senator's voting record on this is shameful.
    Boo. Terrible call by the league.
    This government is clueless about housing.
    The whole process was a joke from start to finish.
    No way. This is insane.
    Get rid of the parking fees, they're killing the town centre.
    I'm done with this club's owners, they've ruined everything.
    Hell no, I'm not paying that for a concert ticket.
    What a load of nonsense from the council.
    The CEO should resign over this breach.
    Vote them out next time. That's how democracy works.
    The article gets the facts wrong and the correction is buried.
    I think you're wrong, and here's why: the data only covers one year.
    These ticket prices are daylight robbery.
    I'll fight this decision at every meeting until it's overturned.
    We need to kill this bill before it reaches the floor.
    The striker murdered that ball into the top corner.
    This dish is to die for.
    I nearly died laughing at the ending.
""")

SPAM_HARD_NEG = _lines("""
    Entry to the museum is free on the first Sunday of each month.
    The clinic offers free flu shots for over 65s, just bring your card.
    I subscribed to the newspaper last year and it's worth every penny.
    Check the link in the article for the full council report.
    The money for {subj} comes from the regional budget, not local taxes.
    Tickets are {price} for adults and free for under 12s.
    I wrote about this on my blog last year, if anyone wants the longer version: {blog_url}
    Subscribe to the print edition if you want to support local journalism.
    The government website has a calculator for the rebate: {gov_url}
    You can get free legal advice at the citizens advice office.
    They're giving away free trees at the garden centre this weekend for the planting scheme.
    Saving money on energy is easy if you turn the thermostat down one degree.
    Buy one get one free at the bakery on Fridays, the pastries are great.
    I made a bit of money selling my old books at the market.
    Click the video description for the recipe quantities.
    The band's official site has the tour dates.
    You can watch the full debate for free on the public broadcaster.
    My son earned {price} over the summer working at the cafe.
    Investing in insulation saved us about {price} last winter.
    The lottery jackpot is {price} this week, not that I ever win.
    Is it worth paying for the premium subscription or is the free tier enough?
    The crypto crash wiped out a lot of people's savings, be careful.
    There's a scam going around pretending to be the bank, never click those texts.
    Official info is here: {gov_url}
    Source: {news_url}
    The full study is here {news_url} if anyone wants to read it.
    Cheap flights are a false economy when you add the bag fees.
    The food bank needs donations, especially tinned food and nappies.
    Free parking after 6pm on weekdays, which helps.
    I follow their channel for the cooking videos, they're really good.
    Watch the video again, the ball clearly crossed the line.
    The stock went up {pct} percent after the announcement.
    My grandma won {price} at bingo and bought everyone dinner.
    The charity raised {price} for the children's ward.
    Call 112 or the police non emergency number if you see anything.
    The helpline number is on the council website.
    Working from home three days a week has made my life so much easier.
    Bitcoin uses more electricity than some small countries, apparently.
    My subscription renewed at double the price, watch out for that.
    They sell the same phone for {price} less online.
    Like the article says, the offer ends on {date}.
    I get paid monthly so the rent timing is always tight.
    Don't fall for the free gift card messages, they're scams.
    You can check your account on the official app, not through links in emails.
""")


# --------------------------------------------------------------------------------------------------------
# Spam building blocks.
# --------------------------------------------------------------------------------------------------------

SPAM_CHANNEL = _lines("""
    check out my channel {video_url}
    hey guys please check out my channel, I make {content_kind} {emoji_spam}
    sub4sub anyone?? drop a sub on my page and i'll return the favour {emoji_spam}
    I'm a {age} year old {artist_kind} from {city}, please check out my new {work} {video_url}
    if you like this song you'll love my cover, link in my profile {emoji_spam}
    Please like this comment so people can see my channel, I upload {content_kind} every week
    sub4sub anyone? comment done when you subbed and i'll sub back
    Hi everyone! I just started making {content_kind}, would mean the world if you subscribed {emoji_spam}
    go check my new {work} on my channel!! {video_url}
    Can you guys help me reach {num} subscribers? I'm almost there {emoji_spam}
    New video out now {video_url} go watch and subscribe
    Check out this video on YouTube: {video_url}
    Hey, I'm a small youtuber trying to grow, I post {content_kind}. Give it a shot!
    Everyone who subscribes to my channel gets a shoutout in my next video {emoji_spam}
    i just uploaded a remix of this song, please listen {video_url}
    Please check my music page, it's {artist_kind} stuff, thumbs up if you like it
    Visit my channel for {content_kind}, new upload every day!
    Who wants to see a better version of this? Check my channel
    I make beats, check out my soundcloud {short_url}
    My sister just started singing, her cover of this song is amazing, go listen on her channel
    Like if you're watching in {year}, then check out my channel for more
    plz sub to my channel i need {num} more subs
    Follow my stream tonight at 8, giving shoutouts to everyone who joins {short_url}
""")

SPAM_F4F = _lines("""
    follow me on {platform} @{handle} i follow back 100%
    f4f l4l anyone? follow @{handle}
    #followforfollow #like4like #f4f follow me @{handle}
    Follow me on {platform} and I'll follow you back, promise {emoji_spam}
    Who wants followers? Follow @{handle} and comment "done"
    Gain {num} followers fast, free trial at {url}
    Get real {platform} followers and likes instantly at {url}
    buy {num}k followers for only {price} at {url}
    Like this and follow @{handle} for daily {content_kind}
    Add me on snap: {handle} {emoji_spam}
""")

SPAM_GIVEAWAY = _lines("""
    {brand} is giving away {prize} to the first {num} people! Claim yours at {url}
    I just won a free {prize}!!! Go to {url} before it's gone {emoji_spam}
    Congratulations! You have been selected to receive a {prize}. Claim now: {url}
    GIVEAWAY: free {prize} to everyone who shares this and visits {url}
    Get a free {prize} by completing a short survey at {url}
    Free {prize} codes, no survey no human verification {url}
    I can't believe this works, got my free {prize} in two days from {url}
    First {num} people to click get a free {prize}: {url}
    WIN A {prize} TODAY ONLY {url}
    You are our lucky visitor of the day! Click {url} to claim your {prize}
    Enter the {brand} anniversary draw to win {prize}, link: {url}
""")

SPAM_INVEST = _lines("""
    I made ${amount} in {period} trading {crypto} with the help of {guru}, reach them on WhatsApp {phone}
    Investing with {guru} was the best decision of my life. Started with ${small}, now I earn ${amount} a week
    Everyone should know about {guru}, she turned my ${small} into ${amount} in {period}. Telegram @{handle}
    Honestly the economy is bad but I'm earning ${amount} weekly from {crypto} thanks to {guru}
    If you're not investing in {crypto} right now you're missing out, my portfolio is up {bigpct}% this month
    I was in debt until I found {guru}. Now I make passive income every week. Message {phone}
    Who else here trades with {guru}? ${amount} profit this week alone {emoji_money}
    Don't let the market scare you. With the right expert like {guru} you can make ${amount} a week. {url}
    Shoutout to {guru} for helping me recover my lost {crypto}, contact them at {email}
    Best {crypto} signals group, {bigpct}% accuracy, join now {url}
    Double your {crypto} in 24 hours, guaranteed returns, send to wallet and receive back 2x
    Make ${amount} a day with this simple forex bot, no experience needed {url}
    My husband laughed at me for investing with {guru}, now we paid off our mortgage. {phone}
    Retired at {age} thanks to {crypto}, ask me how {emoji_money}
    Look up {guru} on Instagram, that's all I'm going to say. Life changing.
""")

SPAM_WFH = _lines("""
    I get paid ${amount} per month working from home on my laptop. Go to {url} and click Home tab for details
    My neighbour's cousin makes ${amount} a week online from home, see how at {url}
    Start earning today! Work from home, ${hourly} per hour, no experience needed: {url}
    Quit my job last month and now I earn more from my phone. Here is what I do: {url}
    Easy online job, just {num} hours a day, ${amount} weekly. Details at {url}
    Need extra cash? Earn ${hourly}/hour typing at home {url}
    Moms are making ${amount} a month with this one trick {url}
    Real online jobs, get paid daily, start now at {url}
    Earn money just by watching videos! Sign up {url}
    Want to be your own boss? DM me for an opportunity that changed my life {emoji_money}
""")

SPAM_PHARMA = _lines("""
    Buy {drug} online without prescription, cheap prices, fast delivery {url}
    {drug} {bigpct}% off today only at {url}
    Lose {num} pounds in {period} with this natural supplement {url}
    Cheap {drug} and {drug} shipped discreetly worldwide {url}
    Doctors hate this one trick for weight loss {url}
    Best online pharmacy, no prescription needed: {url}
    Order {drug} {num}mg, best price guaranteed {url}
    Natural male enhancement pills that actually work {url}
    Keto gummies melted my belly fat in {period}, get yours at {url}
""")

SPAM_DATING = _lines("""
    Hot singles in your area are waiting for you {url}
    I'm lonely tonight, check my profile {emoji_flirt} {url}
    Want to chat? Find me at {url} {emoji_flirt}
    Meet beautiful women near you, {num} new members today {url}
    My pics are too hot for this site, see them here {url}
    Hi handsome, I'm {name}, {age}, looking for a serious man, write me at {email}
    18+ only, private videos at {url} {emoji_flirt}
    Bored? Cam girls online now {url}
    Looking for a sugar daddy? Sign up free {url}
""")

SPAM_SEO = _lines("""
    Great post! I also wrote about {seo_topic}, see {url}
    Nice article. For the best {service} in {city} visit {url}
    {service} {city} | {service} near me | cheap {service} {url}
    Thanks for sharing, very informative. Please visit my site for {seo_topic}: {url}
    I found this really helpful. We offer professional {service} at {url}
    Amazing blog! Keep it up. Visit us for {service}: {url}
    Looking for reliable {service}? Check {url}
    This is exactly what I needed. By the way, we do {service} in {city}, {url}
    Very useful information, I bookmarked it. {url}
    Best {seo_topic} tips 2025 {url} {url}
    Hello admin, nice site. Check my {seo_topic} website {url}
""")

SPAM_SUPPORT = _lines("""
    Call {brand} support at {phone} toll free 24/7 for help with {problem}
    {brand} customer care number {phone}, call now for {problem}
    Having trouble with {problem}? Contact our certified experts at {phone}
    {brand} helpline {phone} (toll free) fix {problem} instantly
    For {problem} call {phone}, available 24 hours
    I had {problem} too, called {phone} and they fixed it in minutes
""")

SPAM_PHISH = _lines("""
    Your account has been suspended. Verify your details at {lookalike_url} within 24 hours
    Security alert: unusual login detected. Confirm your identity at {lookalike_url}
    Your package could not be delivered. Update your address at {lookalike_url}
    You have a pending refund of ${small}. Claim it at {lookalike_url}
    {brand}: your payment failed, update your card at {lookalike_url}
    Verify your account now to avoid permanent closure: {lookalike_url}
    Dear customer, your {brand} password expires today. Reset it here {lookalike_url}
    Tax rebate available, submit your bank details at {lookalike_url}
    Unpaid toll notice. Pay now to avoid a fine: {lookalike_url}
""")

SPAM_PROMO = _lines("""
    Use code {code} for {bigpct}% off at {url}
    Promo code {code} gets you free shipping on everything! {url}
    {bigpct}% OFF everything this weekend only, code {code} {emoji_spam}
    Get ${small} free when you sign up with my referral code {code}
    Flash sale! Designer bags from {price}, shop now {url}
    Cheap replica watches, sunglasses and sneakers {url}
    Limited offer!!! {prize} for only {price} at {url}
    Free bet of ${small} for new customers, code {code}, {url}
    Download the app with my code {code} and we both get ${small}
""")

SPAM_LOUD = _lines("""
    !!!FREE {prize}!!! CLICK HERE {url} {emoji_spam}{emoji_spam}
    CLICK HERE NOW {url}
    WOW!!! MAKE MONEY FAST {url}
    $$$ EASY CASH $$$ {url}
    FREE FREE FREE {url}
    100% FREE!!! NO CATCH!!! {url}
    LIMITED TIME!!! ACT NOW {url}
    {emoji_spam}{emoji_spam} SUBSCRIBE {emoji_spam}{emoji_spam}
""")

SPAM_PREFIXES = _lines("""
    Great video!
    Nice song.
    Love this!
    This song is amazing.
    Good article.
    Interesting read.
    Hi everyone,
    Hello guys!
    Sorry for the spam but
    Don't skip this comment!
    Hey!
    I know this is off topic but
    I love {artist}!
    Wow!
    Please read:
    Attention:
""")

CONTENT_KIND = _lines("""
    gaming videos
    covers
    makeup tutorials
    rap music
    comedy sketches
    vlogs
    minecraft let's plays
    cooking videos
    dance covers
    prank videos
    reaction videos
    guitar lessons
    fitness tips
    beats
    anime edits
""")

ARTIST_KIND = _lines("""
    rapper
    singer
    producer
    guitarist
    youtuber
    beatboxer
    DJ
    songwriter
    dancer
""")

WORK = _lines("""
    song
    mixtape
    music video
    cover
    EP
    beat
    video
    single
""")

PLATFORMS = _lines("""
    Instagram
    Twitter
    TikTok
    Twitch
    Facebook
    Snapchat
    SoundCloud
""")

PRIZES = _lines("""
    iPhone
    PS5
    gift card
    $500 Amazon gift card
    $1000 Walmart voucher
    laptop
    Samsung Galaxy
    Xbox
    free vacation
    Robux
    V-bucks
    pair of sneakers
    iPad
    cash prize
""")

BRANDS = _lines("""
    Amazon
    PayPal
    Apple
    Netflix
    Google
    Microsoft
    Facebook
    Walmart
    DHL
    FedEx
    Steam
    Coinbase
    Binance
    Norton
    McAfee
    HP printer
""")

CRYPTO = _lines("""
    bitcoin
    BTC
    ethereum
    crypto
    forex
    binary options
    dogecoin
    USDT
    solana
    NFTs
    gold futures
""")

GURUS = _lines("""
    Mrs. Jennifer Clarkson
    Mr. David Fredrick
    Expert Helen Morgan
    Mrs. Olivia Bradshaw
    Mr. Richard Stone
    Sandra Wheeler Fx
    Coach Marcus Hale
    Mrs. Angela Rivers
    Dr. Thomas Bright
    Mrs. Evelyn Grant
""")

DRUGS = _lines("""
    viagra
    cialis
    tramadol
    xanax
    oxycodone
    valium
    phentermine
    adderall
    weight loss pills
    diet pills
""")

SERVICES = _lines("""
    plumbing
    roof repair
    SEO services
    web design
    carpet cleaning
    car rental
    cheap essay writing
    locksmith
    pest control
    escort services
    payday loans
    debt consolidation
    moving company
    dental implants
""")

SEO_TOPICS = _lines("""
    digital marketing
    weight loss
    home insurance
    online casino
    crypto trading
    dog training
    mortgage rates
    travel deals
    essay writing
    garden furniture
""")

PROBLEMS = _lines("""
    account recovery
    printer offline errors
    refund issues
    login problems
    wallet recovery
    antivirus renewal
    billing problems
    hacked accounts
""")


# --------------------------------------------------------------------------------------------------------
# Abuse building blocks. Offensive on purpose: this is a classifier's training data.
# --------------------------------------------------------------------------------------------------------

INSULT_NOUNS = _lines("""
    idiot
    moron
    loser
    clown
    imbecile
    fool
    dumbass
    jackass
    halfwit
    dimwit
    cretin
    retard
    troll
    freak
    creep
    degenerate
    parasite
    waste of space
    joke
    lowlife
    scumbag
    nitwit
    muppet
    buffoon
    numpty
    tool
    hack
    coward
    bootlicker
    snowflake
    donkey
    pig
    rat
    sheep
    simpleton
    ignoramus
    nutjob
    lunatic
    psycho
    weirdo
    knuckle dragger
    neckbeard
    dunce
    hypocrite
    liar
    bigot
    nazi
    fascist
    pervert
    wimp
    crybaby
    snake
    slob
    maggot
    leech
    goon
    thug
    fraud
    crook
    coward
    brat
    twit
    dork
    loony
    nut case
    sociopath
    narcissist
    disgrace
    failure
    nobody
    zero
    bozo
""")

INSULT_ADJ = _lines("""
    stupid
    pathetic
    dumb
    worthless
    brainless
    ignorant
    useless
    disgusting
    clueless
    spineless
    delusional
    retarded
    miserable
    sad little
    braindead
    moronic
    idiotic
    pitiful
    ugly
    fat
    gutless
    insufferable
    deranged
    hopeless
    illiterate
    filthy
    lazy
    spoiled
    smug
    vile
    gay
    crazy
    sick
    twisted
    arrogant
    incompetent
    pompous
    obnoxious
    nasty
    creepy
    psychotic
    unhinged
    senile
    ridiculous
    low IQ
    uneducated
    inbred
    hideous
    greasy
    toxic
    petty
    gross
""")

OBSCENE_NOUNS = _lines("""
    asshole
    dickhead
    piece of shit
    bitch
    son of a bitch
    motherfucker
    prick
    wanker
    douchebag
    shithead
    dipshit
    cunt
    twat
    bastard
    fuckwit
    jerkoff
    cocksucker
    scumbag
    fuckface
    shitbag
    pussy
    dick
""")

OBSCENE_ADJ = _lines("""
    fucking
    goddamn
    shitty
    damn
    bloody
    fucking stupid
    dumbass
    piss poor
    bitchass
    shit for brains
""")

TARGETS = _lines("""
    you
    the author
    this reporter
    whoever wrote this
    the mayor
    the guy above
    the mods
    the admins
    the editor
    this commenter
    the ref
    your boyfriend
    your whole family
    the person who reverted my edit
""")

INSULT_TEMPLATES = _lines("""
    you are a {ins_adj} {ins_noun}
    you're such a {ins_noun}
    what a {ins_adj} {ins_noun}
    shut up, you {ins_adj} {ins_noun}
    only a {ins_noun} would write something this {ins_adj}
    {target} is a {ins_adj} {ins_noun}
    are you really this {ins_adj}?
    get a brain, {ins_noun}
    go back to school you {ins_noun}
    nobody asked for your opinion, {ins_noun}
    imagine being this {ins_adj} lol
    you have the brain of a {animal}
    your mother should be ashamed of you, {ins_noun}
    everyone here thinks you're a {ins_noun}
    what kind of {ins_adj} {ins_noun} believes this?
    you are the dumbest person on this site
    you can't even read, you {ins_adj} {ins_noun}
    this {ins_noun} thinks he knows economics lmao
    stop commenting, you're embarrassing yourself, {ins_noun}
    {target} is an absolute {ins_noun}
    you are {ins_adj} and {ins_adj}
    typical {ins_adj} {ins_noun} comment
    reading your comments makes me lose brain cells, {ins_noun}
    you're too {ins_adj} to understand any of this
    the author is a {ins_adj} hack who should be fired
    keep crying, {ins_noun}
    you people are all {ins_adj} {ins_noun}s
    what a {ins_adj} thing to say, you absolute {ins_noun}
    i've met smarter {animal}s than you
    you're a {ins_adj} excuse for a human being
    log off and touch grass, {ins_noun}
    lol you got ratioed, {ins_noun}
    ur so {ins_adj} its actually funny
    nobody likes you, {ins_noun}
    you look like a {ins_adj} {animal}
    go cry to your mommy, {ins_noun}
    you're not worth the air you breathe
    fat {ins_adj} {ins_noun}
    your face is as {ins_adj} as your opinions
    the ref is a blind {ins_noun}
    the mayor is a {ins_adj} crook and a {ins_noun}
    stop vandalizing my page you {ins_adj} {ins_noun}
    {target} is too {ins_adj} to edit wikipedia
""")

POLITE_INSULTS = _lines("""
    With all due respect, you are clearly too {ins_adj} to understand this.
    Bless your heart, you really are the slowest person in this thread.
    I'd explain it to you, but I don't have any crayons with me.
    Please do everyone a favour and never reproduce.
    I'm sure you mean well, but your comment is the most idiotic thing I've read today.
    Kindly stop commenting until you learn to read, dear.
    Respectfully, you are a fool and everyone can see it.
    No offence, but you have the intelligence of a {animal}.
    I admire your confidence for someone so obviously {ins_adj}.
    Sweetie, nobody with a functioning brain would write that.
    Thank you for proving that {ins_adj} people can use the internet too.
    It must be hard being this {ins_adj}. My condolences to your family.
    I'm not saying you're a {ins_noun}, but you'd win any contest for it.
    Dear sir, your ignorance is matched only by your ugliness.
    Some people are proof that evolution can go backwards. Present company included.
    I hope you get the help you clearly need, you poor {ins_adj} thing.
    You are, quite simply, the most {ins_adj} editor I have ever had the misfortune to deal with.
""")

OBSCENE_TEMPLATES = _lines("""
    fuck this {thing}
    what the fuck is this shit
    this is bullshit
    shut the fuck up
    kiss my ass
    suck my dick
    {target} can go fuck themselves
    fuck off
    go fuck yourself
    you {obs_adj} {obs_noun}
    {target} is a {obs_adj} {obs_noun}
    holy shit this {thing} is garbage
    screw you and your {obs_adj} article
    eat shit
    piss off you {obs_noun}
    get the fuck out of here
    fuck the {ppl_generic}
    who gives a shit
    this {thing} is total horseshit
    you are full of shit
    fuckin hell this is a clusterfuck
    suck it, {obs_noun}
    damn you {obs_noun}
    bite me {obs_noun}
    what a {obs_adj} {obs_noun}
    your {thing} sucks ass
    up yours
    blow me
    stfu {obs_noun}
    gtfo with this crap you {obs_noun}
    f off you {obs_adj} {obs_noun}
    fuck your feelings
    lick my balls
    go suck a dick
    you dumb bitch
    this is some shitty ass journalism
    who the fuck asked
    stupid ass {thing}
""")

CASUAL_PROFANE = _lines("""
    that bitch owes me money and ghosted me
    these hoes ain't loyal
    bitches be crazy fr
    my ex is a lying bitch
    this pussy ass dude talking trash again
    all these hoes on my timeline acting brand new
    bad bitch energy only
    man fuck monday
    I ain't got time for these bitches
    lil bitch ran away lmao
    shut yo bitch ass up
    this hoe blocked me for no reason
    niggas be tripping over nothing
    she a hoe and everybody knows it
    fuck that bitch and her friends
    stop being a pussy and text her
    tired of these fake ass hoes
    why these bitches so messy
    dude is a straight up bitch
    yo ass got played
    this nigga thinks he slick
    pussy ass referee
    your girl a thot
    side hoes everywhere smh
    bitch please
    I swear these hoes be lying
    he's a bitch made dude
    shit talking bitches get blocked
""")

THREAT_TEMPLATES = _lines("""
    I will find you
    I know where you live
    someone should {violent_verb} you
    you'll regret this
    watch your back
    I'm going to {violent_verb} you
    people like you should be {violent_pp}
    keep talking and see what happens to you
    I hope someone {violent_verb_past} you
    you won't be so brave when I see you in person
    I'll make sure you never walk again
    if I ever see you I'll {violent_verb} you
    I'm coming for you and your family
    you deserve to be {violent_pp}
    say that again and I'll break your neck
    I will hunt you down
    one day you'll get what's coming to you
    better lock your doors tonight
    the {target_third} should be {violent_pp} for this
    I'll burn your house down
    I'm going to make you suffer
    we know your address
    sleep with one eye open
    you'll be sorry when I find out who you are
    somebody needs to put a bullet in {target_obj}
    I'd love to {violent_verb} {target_obj} with my own hands
    I will end you
    come say that to my face and see what happens
    your days are numbered
    I swear I'll {violent_verb} you if you revert my edit again
""")

VIOLENT_VERB = _lines("""
    kill
    hurt
    beat
    stab
    shoot
    strangle
    punch
    beat up
    smash
    murder
    hang
    choke
""")

VIOLENT_VERB_PAST = _lines("""
    kills
    hurts
    beats
    stabs
    shoots
    runs over
""")

VIOLENT_PP = _lines("""
    shot
    hanged
    beaten
    locked up and tortured
    killed
    strung up
    lined up and shot
    put down
    burned
    exterminated
""")

TARGET_THIRD = _lines("""
    author
    mayor
    reporter
    judge
    editor
    admin
    councillor
""")

TARGET_OBJ = _lines("""
    you
    him
    her
    the author
    that idiot
    the mayor
    this guy
""")

SEVERE_TEMPLATES = _lines("""
    you worthless piece of shit, I hope you die
    fuck you, you fucking {obs_noun}, go kill yourself
    I hope you get cancer and die you {obs_adj} {obs_noun}
    die in a fire you {obs_adj} {obs_noun}
    kill yourself you {ins_adj} {obs_noun}
    you disgusting {obs_noun}, the world would be better without you
    fuck you fuck you fuck you
    I'll fucking kill you, you {obs_noun}
    your mother should have aborted you, {obs_noun}
    rot in hell you {obs_adj} {obs_noun}
    eat shit and die
    go hang yourself you {ins_adj} {obs_noun}
    you fucking {obs_noun}, I will fuck you up
    nobody would miss you if you died, {obs_adj} {obs_noun}
    {target} is a {obs_adj} {obs_noun} and deserves to suffer
    shut your fucking mouth before I shut it for you
    fuck you and everyone you love
    drink bleach you {obs_adj} {obs_noun}
    I hope your whole family dies, {obs_noun}
    you are a cancer on this site, you {obs_adj} {obs_noun}, fuck off and die
""")

GROUPS = _lines("""
    Muslims
    Jews
    Christians
    immigrants
    refugees
    Mexicans
    Africans
    Black people
    white people
    Asians
    Chinese people
    Indians
    Arabs
    Pakistanis
    gays
    lesbians
    trans people
    women
    feminists
    disabled people
    gypsies
    Romanians
    Poles
    foreigners
    Hindus
    Catholics
    Mormons
    Somalis
    Nigerians
    Latinos
""")

GROUP_PLACES = _lines("""
    your country
    the desert
    Africa
    Mexico
    the jungle
    where you came from
    your mud hut
    your shithole country
""")

SLURS = _lines("""
    faggot
    fag
    nigger
    retard
    spic
    wetback
    chink
    dyke
    tranny
    kike
    towelhead
    raghead
    beaner
    paki
    gook
    coon
    sand nigger
    gyppo
    spastic
""")

HATE_TEMPLATES = _lines("""
    {group} are {dehuman}
    all {group} should be {banned}
    go back to {group_place}
    {group} are ruining this country
    {group} are nothing but {dehuman}
    I'm sick of {group}, they are all {hate_adj}
    typical {slur} behaviour
    shut up you {slur}
    this {slur} shouldn't be allowed to comment
    {group} don't belong here
    never trust {group}, they are {hate_adj}
    {group} breed like rats
    the problem with this city is all the {group}
    {group} are a disease
    {group} should not be allowed to vote
    of course the author is one of those {group}
    {group} are subhuman
    get these {group} out of our neighbourhood
    I'd never hire {group}, they're all {hate_adj}
    {group} are genetically inferior
    {group} are the reason crime is up
    women belong in the kitchen, not in parliament
    gay people are sick and need to be fixed
    {group} are animals and should be treated like animals
    another {slur} getting special treatment
    {group} should all be deported
    {group} are filthy {dehuman}
    {group} are an infestation
    no wonder, the mayor is a {slur}
    {group} only come here for the benefits
    disabled people are a burden and should stay out of sight
    you are a disgrace to your race
    the {group_adj} plague has to be stopped
    this country was better before the {group} arrived
    stupid {slur}
    {slur}s like you are why this country is going downhill
    {group} can't be trusted with anything
    every {group_adj} is a criminal
    {group} are vermin
    {group} should be {violent_pp}
    I can smell a {slur} from a mile away
    {group} are a cancer on society
    bet the author is a {group_adj} {slur} lover
    {group} have low IQs, it's science
    {group} are all terrorists
    why do {group} always play the victim
    keep {group} away from our kids
    {group} don't deserve rights
    {group} are mentally ill
    {group} will never be real citizens
    the {group_adj} invasion is real and nobody is stopping it
    being gay is a disease
    trans people are freaks and perverts
    women are too stupid to vote
    {group} are lazy welfare leeches
    {group} need to be wiped out
    I hate {group}
    {group} stink
    gas the {group}
    ugh another {group_adj} {slur}
""")

DEHUMAN = _lines("""
    animals
    vermin
    parasites
    cockroaches
    savages
    rats
    subhuman
    a plague
    filth
    criminals
    scum
    leeches
    monkeys
    apes
    degenerates
    terrorists
    rapists
    pedophiles
    invaders
    freaks
    trash
    mongrels
    dogs
""")

HATE_ADJ = _lines("""
    dirty
    lazy
    violent
    disgusting
    stupid
    thieves
    liars
    backwards
    primitive
    inferior
    perverted
""")

BANNED = _lines("""
    banned
    deported
    kicked out
    locked up
    sent back
    sterilized
    removed
    put in camps
""")

GROUP_ADJ = _lines("""
    Muslim
    Jewish
    immigrant
    Mexican
    African
    Chinese
    Arab
    gay
    trans
    Gypsy
    Somali
    foreign
""")

ANIMALS = _lines("""
    goldfish
    rock
    potato
    chimp
    donkey
    pigeon
    sloth
    brick
    hamster
    slug
""")

THINGS = _lines("""
    article
    site
    game
    song
    city
    council
    government
    video
    page
    team
    policy
    comment section
""")

PPL_GENERIC = _lines("""
    police
    government
    council
    mods
    admins
    media
    referees
    rich
""")

HASHTAGS = _lines("""
    #news
    #politics
    #football
    #music
    #election
    #breaking
    #localnews
    #weather
    #tbt
    #mondaymood
    #facts
    #truth
    #justsaying
    #smh
    #blessed
    #winning
    #gameday
    #science
    #foodie
    #travel
""")


# --------------------------------------------------------------------------------------------------------
# Shared fillers.
# --------------------------------------------------------------------------------------------------------

FIRST_NAMES = _lines("""
    Maria
    John
    Aisha
    Tom
    Priya
    Lukas
    Fatima
    Chen
    Olga
    Kwame
    Sofia
    Daniel
    Mehmet
    Emma
    Raj
    Ana
    Jake
    Yuki
    Sam
    Leila
    Marco
    Hannah
    Diego
    Grace
    Ibrahim
    Nina
    Pete
    Carla
    Ahmed
    Zoe
""")

HANDLE_PARTS = _lines("""
    cool
    real
    the
    dark
    happy
    king
    queen
    mr
    miss
    gamer
    music
    official
    daily
    lil
    big
    crazy
    true
    its
    just
    xo
    wolf
    ninja
    pixel
    sunny
    city
    fan
""")

CITIES = _lines("""
    Toronto
    Manchester
    Lagos
    Berlin
    Austin
    Melbourne
    Dublin
    Nairobi
    Chicago
    Leeds
    Lyon
    Manila
    Houston
    Glasgow
    Mumbai
    Denver
""")

ARTISTS = _lines("""
    Katy
    Shakira
    Eminem
    Rihanna
    Drake
    Adele
    Taylor
    Bruno
    Beyonce
    Ed
""")

MONTHS = _lines("""
    January
    February
    March
    April
    May
    June
    July
    August
    September
    October
    November
    December
""")

NEWS_DOMAINS = _lines("""
    reuters.com
    apnews.com
    bbc.co.uk/news
    theguardian.com
    nytimes.com
    news.example.org
    ourtownherald.example.com
    who.int
    cdc.gov
    nature.com
    en.wikipedia.org/wiki
    arxiv.org/abs
    statistics.example.gov
    nhs.uk
    europa.eu
""")

GOV_DOMAINS = _lines("""
    gov.uk
    citycouncil.example.gov
    usa.gov
    canada.ca
    europa.eu
    transport.example.gov
    irs.gov
    data.example.gov
""")

SPAM_TLDS = _lines("""
    .com
    .net
    .info
    .biz
    .xyz
    .top
    .club
    .online
    .site
    .ru
    .co
    .live
    .click
    .shop
""")

SPAM_WORDS = _lines("""
    cash
    free
    win
    prize
    easy
    profit
    deal
    earn
    best
    promo
    bonus
    money
    rich
    gift
    hot
    smart
    trade
    quick
    lucky
    mega
    fast
    secure
    official
    crypto
    coin
    daily
    pro
    top
    tube
    click
""")

LOOKALIKE_BRANDS = _lines("""
    paypa1
    pay-pal
    g00gle
    amaz0n
    arnazon
    app1e
    appIe-id
    netf1ix
    micros0ft
    faceb00k
    wa1mart
    binanse
    coinbasse
    dh1-express
    fedx-delivery
    bankofamerlca
    chase-verify
    we11sfargo
""")

LOOKALIKE_SUFFIXES = _lines("""
    -secure
    -verify
    -login
    -support
    -account
    -prize
    -update
    -billing
    -help
    -alert
""")

SHORTENERS = _lines("""
    bit.ly
    tinyurl.com
    goo.gl
    t.co
    ow.ly
    is.gd
    cutt.ly
    rb.gy
""")

EMOJI_POS = _lines("""
    😊
    😂
    👍
    ❤️
    🙏
    👏
    🔥
    😍
    🎉
    💯
    🙌
    😎
    🥰
    ⚽
    🎶
    ☀️
    🌧️
    🚋
    🍝
    🤣
""")

EMOJI_NEG = _lines("""
    😡
    🤬
    🙄
    🤡
    💩
    😤
    🖕
    👎
    😒
    🤮
""")

EMOJI_SPAM = _lines("""
    🔥
    💰
    💯
    👉
    ✅
    🎁
    🚀
    💸
    ⭐
    ❗
    👇
    🤑
""")

EMOJI_FLIRT = _lines("""
    😘
    😉
    💋
    🍑
    😏
    ❤️
""")

EMOJI_MONEY = _lines("""
    💰
    💵
    🤑
    📈
    💸
    🚀
""")

INTERJECTIONS = _lines("""
    lol
    lmao
    smh
    tbh
    imo
    ngl
    fr
    idk
    omg
    ugh
    haha
    jk
    btw
    ffs
""")

# --------------------------------------------------------------------------------------------------------
# Second wave: everyday posts, video comments, neutral mentions of groups, more abuse shapes.
# --------------------------------------------------------------------------------------------------------

LIFE_POSTS = _lines("""
    just finished my {activity} and I feel {feeling}
    can't sleep again, it's {clock} and my brain won't switch off
    {day} mood: {feeling}
    my {relative} made {food} and it was amazing
    this traffic is unreal, been sitting here {num} minutes
    finally {day}! plans: {activity} and {food}
    who else is watching the game tonight?
    the new season of that show is so good, no spoilers please
    first day at the new job tomorrow, wish me luck
    I need a nap and it's only {clock}
    coffee number {num} and it's not even lunch
    going to the beach this weekend if the weather holds
    my {relative} just called to ask how to send a photo again
    lost my keys for the third time this week
    ordered {food} and they forgot half of it
    happy birthday to my {relative}, love you
    the sunset tonight though
    gym at 6am, who am I
    rain all day, perfect excuse to stay in with {food}
    just passed my driving test!!!
    anyone want to go see a movie {day}?
    my dog stole my sandwich and shows zero remorse
    I swear the bus driver saw me running and left anyway
    nothing beats {food} after a long shift
    {team} better win tonight or I'm not going to work tomorrow
    the {team} game was intense, my heart can't take it
    late night {food} run with the crew
    wifi down, had to talk to my family, they seem nice
    started reading a new book and can't put it down
    big thanks to everyone who came to the party last night
    I love my friends so much
    so proud of my little brother, he graduated today
    missing summer already
    monday again? really?
    new phone who dis
    cleaned my whole apartment and now I'm too tired to enjoy it
    spent {price} on groceries and got like three things
    this heat is too much, send ice cream
    my plants are finally growing
    can't believe it's already {month}
    that episode last night had me screaming
    weekend vibes, no alarms
    watching old cartoons and eating cereal like I'm 8
    hospital visit went fine, thanks for the messages everyone
    our flight got cancelled so we're stuck at the airport eating {food}
    listening to {artist} on repeat today
    baby's first steps today!!
    snow day! schools closed
""")

LIFE_FILL: dict[str, tuple[str, ...]] = {
    "activity": _lines("""
        run
        workout
        shift
        homework
        exam
        laundry
        hike
        yoga class
        night shift
        essay
        bike ride
    """),
    "feeling": _lines("""
        great
        exhausted
        so relaxed
        proud of myself
        like a new person
        dead tired
        happy
        sore but happy
        sleepy
        blessed
    """),
    "relative": _lines("""
        mom
        dad
        grandma
        sister
        brother
        aunt
        cousin
        best friend
        roommate
        wife
        husband
        boyfriend
        girlfriend
    """),
    "food": _lines("""
        pancakes
        tacos
        pizza
        lasagna
        jollof rice
        ramen
        curry
        burgers
        soup
        cookies
        biryani
        dumplings
        waffles
        a massive salad
    """),
    "day": _lines("""
        Friday
        Saturday
        Sunday
        Monday
        Tuesday
        Wednesday
        Thursday
        tonight
        tomorrow
    """),
    "team": _lines("""
        the Yankees
        the Lakers
        United
        City
        the Eagles
        the Bulls
        Arsenal
        the Cowboys
        the Rangers
        the Warriors
        Liverpool
        the home team
    """),
    "clock": _lines("""
        3am
        2:30am
        4am
        midnight
        11pm
        noon
        5pm
    """),
}

VIDEO_COMMENTS = _lines("""
    {artist} is so talented, this song never gets old
    who's still watching this in {year}?
    {artist}'s voice in this song is unreal
    I remember when this came out, I was in middle school
    the views on this video are insane
    this song brings back so many memories
    best music video ever made
    this is my favourite song of all time
    can't stop listening to this
    the dance at {time} is so good
    {artist} never disappoints
    I love how happy this song makes me
    my little sister dances to this every day
    this song was everywhere the summer I turned {age}
    still gives me chills after all these years
    the lyrics hit different now
    who came here from the movie?
    this is what real music sounds like
    so many memories with this song, miss those days
    I played this at my graduation party
    the beat drop at {time} though
    {artist} should do a world tour again
    this video is a masterpiece
    the song is good but the video is even better
    watched this {num} times today, no regrets
""")

NEUTRAL_GROUP = _lines("""
    {group} in our city deserve the same services as everyone else.
    The survey asked {group} about their experience with the police, worth reading.
    There's a great documentary about {group} who moved here in the sixties.
    Hate crimes against {group} went up last year, which is awful.
    The article interviews {group} who run small businesses on the high street.
    Many {group} I know volunteer at the food bank every week.
    The report says {group} are underrepresented on the council.
    Employers should not discriminate against {group}, that's the law.
    I'm glad the paper gave {group} a voice in this story.
    My best friends growing up were {group_adj} kids from the estate.
    The {group_adj} community centre is hosting an open day on {day}.
    As a {group_adj} person I didn't feel the article was biased at all.
    The museum has a new wing on the history of {group} in this region.
    Calling all {group} a threat is wrong, most are just trying to live their lives.
    Racism against {group} is real and we should talk about it.
    The comments attacking {group} under the last article were disgusting, glad they were removed.
    The poll showed {group} split almost evenly on this issue.
    The law protects {group} from being fired for who they are.
""")

CASUAL_WHO = _lines("""
    this bitch
    my ex
    that hoe
    these hoes
    your girl
    this pussy
    these niggas
    that nigga
    these bitches
    your bitch ass
    this dude
    my boss
    this fool
    that ho
    these lil boys
    everybody on here
    my roommate
    this thot
    your mans
""")

CASUAL_PRED = _lines("""
    be acting brand new
    ain't shit
    always talking shit
    is a straight up bitch
    can suck my dick
    got me fucked up
    don't know shit
    stay lying
    is a pussy
    can kiss my ass
    is so fucking annoying
    is a dumb ass hoe
    thinks he's hard but he's soft as shit
    blocked me lmao bitch please
    want attention so bad
    is a whole clown
    needs to shut the fuck up
    gonna get slapped
    ain't worth shit
    is fake as hell
    ugly as shit
    trying to be funny, bitch you ain't
    talking reckless, pussy
""")

CASUAL_SHIT = _lines("""
    fuck this traffic
    shit I overslept again
    this weather is shit
    fuck mondays
    holy shit that game
    I'm so fucking tired
    this shit is crazy
    fuck my life
    shit just got real
    my phone broke again, fuck
    bullshit call by the ref
    this fucking printer
    damn that shit was hard
    I don't give a fuck anymore
    what the fuck just happened
    fucking love this song
    got no fucks left to give
    that test was bullshit
    shit show of a day
    fuck it, pizza for dinner
""")

WIKI_HARASS = _lines("""
    stop deleting my edits you {ins_adj} {ins_noun}
    you admins are a bunch of power hungry {ins_noun}s
    go to hell, I'll edit what I want
    who the hell do you think you are?
    get a life, you have nothing better to do than revert people
    block me, see if I care, {ins_noun}
    wikipedia is run by {ins_adj} {ins_noun}s
    you are a vandal and a liar
    you're a nazi for deleting my page
    this {ins_adj} admin keeps undoing everything
    I hope you get banned, {ins_noun}
    you know nothing about this subject, {ins_noun}
    your edits are garbage just like you
    you suck at this
    nobody cares about your stupid rules
    you're a pathetic little man with a keyboard
    get off your high horse you {ins_noun}
    you are a fascist and a hypocrite
    grow up and stop stalking my contributions, creep
    you are so gay lol
    stop being such a baby and leave my article alone
    this is why nobody likes you, {ins_noun}
""")

MORE_THREATS = _lines("""
    I'm going to find out where you work
    you better hope we never meet
    I'll come to your house and {violent_verb} you
    if you delete this again I will kill you
    I'll slit your throat
    I'll put you in the hospital
    I hope you get hit by a bus
    I will destroy you and everything you love
    you're dead, you hear me
    I'll make you pay for this
    wait until I get my hands on you
    I'll rip your head off
    me and my boys are gonna pay you a visit
    I'll break every bone in your body
    run while you still can
""")

YOU_CIVIL = _lines("""
    Thank you for your help with the references, you did a great job.
    You might want to check the second source, I think the date is wrong.
    I think you misunderstood my point, I was talking about the budget, not the route.
    You are right, I should have read the whole article first.
    If you read the report you'll see the cost includes maintenance.
    You should try adding a bit of lemon, it really lifts the flavour.
    Have you considered asking the council directly? They usually reply within a week.
    Thanks for explaining, you made it much clearer than the article.
    You make a fair point about {subj}, I hadn't looked at it that way.
    I see why you reverted it, but could you tell me which source you'd accept?
    Do you have a link for that? I'd like to read more.
    You can find the minutes on the council website under meetings.
    Hi, welcome! If you need help with formatting, just ask on my talk page.
    Please don't remove the citation tags until the sources are added, thanks.
    You're welcome, glad I could help.
    I appreciate you taking the time to reply.
    You and I clearly see this differently, but thanks for keeping it civil.
    Would you mind adding a summary when you edit? It helps others follow the changes.
    I hope you and your family are safe after the storm.
    Your photos from the festival are beautiful, did you take them yourself?
    You should be proud, that's a great result for a first marathon.
    Are you going to the meeting on {day}? Maybe we can talk there.
    I think you're being a bit harsh on {ppl}, they inherited this mess.
    You've been really patient answering everyone's questions here.
    If you disagree with the merge, please say so in the discussion.
    Your comment made me laugh, thanks for that.
    Good luck with the new job, you'll do great.
    You're the first person here to mention the costs, thank you.
    I'm not sure you're right about that, but I'll check the numbers.
    You can always appeal the block, the instructions are on your talk page.
    Did you know the library lends out tools as well as books?
    Your edit was reverted because it had no source; feel free to add one and restore it.
    Sorry, I think I confused you with another editor. My apologies.
    You raise a good question, and I don't think anyone knows yet.
    Thanks for the recipe, you saved my dinner party!
    You were so right about that restaurant, best pasta I've had in ages.
    I was an idiot to believe the forecast and leave my umbrella at home.
    I felt so stupid when I realised the meeting was yesterday.
    Stupid me, I forgot to renew my bus pass again.
    I'm such a klutz, dropped my phone in the river on the hike.
    My brother calls me a nerd because I read council minutes for fun.
    I'm too dumb with computers to fix the router, had to call my niece.
""")

#: Every bank that templates can reference as ``{name}``.
BANKS: dict[str, tuple[str, ...]] = {
    "ins_noun": INSULT_NOUNS,
    "ins_adj": INSULT_ADJ,
    "obs_noun": OBSCENE_NOUNS,
    "obs_adj": OBSCENE_ADJ,
    "target": TARGETS,
    "target_third": TARGET_THIRD,
    "target_obj": TARGET_OBJ,
    "violent_verb": VIOLENT_VERB,
    "violent_verb_past": VIOLENT_VERB_PAST,
    "violent_pp": VIOLENT_PP,
    "group": GROUPS,
    "group_place": GROUP_PLACES,
    "group_adj": GROUP_ADJ,
    "slur": SLURS,
    "dehuman": DEHUMAN,
    "hate_adj": HATE_ADJ,
    "banned": BANNED,
    "animal": ANIMALS,
    "thing": THINGS,
    "ppl_generic": PPL_GENERIC,
    "content_kind": CONTENT_KIND,
    "artist_kind": ARTIST_KIND,
    "artist": ARTISTS,
    "work": WORK,
    "platform": PLATFORMS,
    "prize": PRIZES,
    "brand": BRANDS,
    "crypto": CRYPTO,
    "guru": GURUS,
    "drug": DRUGS,
    "service": SERVICES,
    "seo_topic": SEO_TOPICS,
    "problem": PROBLEMS,
    "name": FIRST_NAMES,
    "city": CITIES,
    "month": MONTHS,
    "emoji_pos": EMOJI_POS,
    "emoji_neg": EMOJI_NEG,
    "emoji_spam": EMOJI_SPAM,
    "emoji_flirt": EMOJI_FLIRT,
    "emoji_money": EMOJI_MONEY,
    "casual_who": CASUAL_WHO,
    "casual_pred": CASUAL_PRED,
    **LIFE_FILL,
}
