"""Phrase banks for long, discussion-style comments in the seed corpus (see :mod:`training.seed_corpus`).

Every phrase here was written for this project. These banks exist so that length, second-person address
("you", "your"), editing vocabulary ("blocked", "revert", "vandalism") and strong-but-civil wording do not
predict abuse on their own: most of them build long *acceptable* comments (talk-page discussions, warnings,
heated civic criticism, violent idioms), and a smaller set builds long *abusive* ones (insults buried in an
editing dispute, shouting, wishes of harm), so the model has to look at what is actually said.

Warning: the abuse banks contain deliberately offensive language. They are training data, not opinions.
"""

from __future__ import annotations

from training.seed_phrases import _lines

# --------------------------------------------------------------------------------------------------------
# Talk-page building blocks (acceptable).
# --------------------------------------------------------------------------------------------------------

#: Things an encyclopedia talk page argues about.
WIKI_SUBJECTS = _lines("""
    the 1911 census figures
    the band's discography
    the bishop's early life
    the list of tributaries
    the casualty estimates
    the origin of the surname
    the infobox population figure
    the plot summary
    the section on reception
    the spelling of the town's name
    the date of the treaty
    the record label's history
    the map of the old railway
    the player's career statistics
    the claim about the first recording
    the translation of the motto
    the genealogy table
    the founding date of the club
    the list of notable alumni
    the chemical formula in the lead
    the election results table
    the photo of the cathedral
    the dialect section
    the timeline of the siege
    the episode list
    the controversy section
    the references to the local newspaper
    the article's title
""")

#: Civil talk-page sentences. Many use "you", "I will", "should", "blocked", "revert" on purpose.
TALK_CIVIL = _lines("""
    I have reverted your change to {wsubj} because the source you cited does not mention it.
    You removed {wsubj} twice without an edit summary, could you explain why here?
    If you have a better source for {wsubj}, please add it and I will happily restore the text.
    I will leave the section alone for a week so others can weigh in.
    I will try to find the original newspaper article in the library archive this weekend.
    You are right that the wording was clumsy, I have rewritten the second paragraph.
    You are wrong about the date, but it is an easy mistake since two sources disagree.
    Your changes to {wsubj} look fine to me, although the last sentence needs a citation.
    With respect, I don't think you have read the discussion above, this was settled in {year}.
    We should probably split {wsubj} into its own article, it is getting very long.
    Should the table be sorted by year or by name? I don't mind either way.
    The article should say "about" rather than give an exact number we cannot verify.
    I understand why you did it, but the policy on original research is quite clear.
    Do you understand why the image was removed? It was tagged as a copyright problem.
    I'm not sure you understand how citations work here, so here is a short guide that helped me.
    The notability guideline is not about whether something is important, only about coverage.
    As far as I can tell the claim about {wsubj} goes back to a single blog post.
    Could someone with access to the journal check page {num}? I only have the abstract.
    I have no opinion on the merge itself, I just want the history preserved.
    Per the discussion, I am going to move the page back to its original title.
    There is no consensus for this change yet, so please don't edit war over it.
    I don't have a problem with you adding the material, only with the tone.
    The phrase "widely regarded" needs a source or it has to go.
    Let's try to keep this discussion about the content and not about each other.
    You have now reverted three times in one day, please be careful with the three revert rule.
    Please assume good faith, the other editor was trying to fix the same problem you were.
    I'm going to ask for a third opinion because the two of us are going around in circles.
    This is not a forum for discussing the subject in general, only for improving the article.
    Thanks for catching that, I had copied the wrong year from my notes.
    Sorry, I didn't see your message until now, I was away for a few days.
    I think both versions are defensible, so let's see what the others say.
    I disagree with the deletion, there are at least four independent reviews of the book.
    Would anyone object if I trimmed the trivia section? Most of it is unsourced.
    The previous version said {num} and the new one says {num}, which is it?
    Here is the link to the archived discussion so nobody has to dig for it.
    I'm happy to help with the formatting if you add the sources first.
    You might find the reliable sources noticeboard useful for this question.
    I'll admit I got this one wrong, the census was indeed taken in April.
    Fair enough, I'll drop it. The current wording is acceptable.
    You keep saying the source is biased, but you haven't said how.
    There is a difference between a primary source and a secondary one, and it matters here.
    I have restored the longer version because the short one lost two references.
    The information is accurate but it belongs in the article about the company, not the founder.
    Please stop adding the same paragraph until the discussion is finished.
    If you continue to remove sourced content without discussion, I will have to ask an administrator to look at it.
    I know this topic matters to you personally, but we have to stick to what the sources say.
    I will not revert again, I'd rather we talk it through.
    Can you tell me which edit you mean? The history shows several changes on that day.
    The spelling in the lead should match the one used by the official website.
    I've left a note on the project page asking for more eyes on this.
    I would support the proposal if the section on {wsubj} stays.
    Oppose. The new title is less recognisable and not used by most sources.
    Support, the current title is ambiguous and confuses readers.
    Comment: both proposals ignore the problem with {wsubj}.
    Agree with the editor above, the lead is far too long.
    I'm not an expert on this, but the numbers in {wsubj} do not add up.
    This is the third time this question has come up, maybe we need a FAQ at the top of the page.
    The quote is real, I checked the recording, but it is out of context.
    Your sandbox draft looks promising, you could move it to the main space soon.
    The photo caption is wrong, that is the old town hall, not the current one.
    I asked the author of the book by email and he confirmed the date.
    Calling it a massacre is the wording of most historians, so I don't think it is loaded.
    That's a fair criticism of the article and I agree it needs work.
    You made some good points, and I've tried to include them in the new draft.
    If you think I acted wrongly, you are welcome to raise it at the noticeboard.
    I am not going to argue about this any further, the sources speak for themselves.
    The earlier vandalism has been cleaned up, thanks to everyone who helped.
    Somebody keeps replacing the photo with a joke picture, I have asked for page protection.
    I have semi-protected the page for three days because of repeated vandalism from several addresses.
    The user was blocked for vandalism last month, so please keep an eye on the page.
    Adding your own website as a source is a conflict of interest, so I removed it.
    I'm new here so forgive me if I'm doing this wrong.
    Honestly I'm not sure where this belongs, maybe the history section?
    You will need to provide a page number for that citation, otherwise it can't be checked.
    It is allowed to use foreign language sources, as long as they are reliable.
    You are allowed to remove warnings from your own talk page, it just shows you read them.
    Wikipedia is not the place to publish new findings, even if they are correct.
    Wikipedia articles should summarise what the sources say, not argue with them.
    The country is listed under its current name, with the historical names in a footnote.
    The girl in the photo is the subject's daughter, according to the caption in the original book.
    His mother was born in the same village, which is why the article mentions it.
    The face in the portrait was repainted in the nineteenth century, see the conservation report.
    I thought the anecdote was funny too, but it's not encyclopedic.
    The article calls the strike a failure, which is an opinion, not a fact.
    It is typical of older sources to give the population in households rather than people.
    I can't imagine anyone reading the lead and understanding what the company actually does.
    The poor quality of the scan makes the date hard to read, it could be 1863 or 1868.
    The dude in the second photo is not the drummer, it's the tour manager.
    The absolute number is less useful than the percentage here, in my opinion.
    Eating habits of the species are covered in the diet section, no need to repeat them.
    The article on the air force base already covers this in more detail.
    I think the claim that he was lying to parliament needs a better source than an op-ed.
    Everyone thinks the name comes from the river, but the sources say it's older.
    You must cite a published source for the population figure, the census office website is fine.
    Being bold is encouraged, but being reverted is part of the process, so don't take it personally.
    Please stop moving the page until the requested move discussion is closed.
    Go ahead and delete the duplicate section, I agree it adds nothing.
    Ask yourself whether a reader in another country would understand the sentence.
    He was banned from the club in {year}, according to two newspapers, so the claim is sourced.
    If you really think the page should be deleted, the right place to say so is the deletion discussion.
    I must say the new version of the lead is much better.
    You seem to be confusing the town with the district of the same name.
    I'm sorry you feel that way, but the rules apply to everyone, including me.
    Before you delete anything else, please look at the archived discussion.
    You are free to disagree, but please don't remove other people's comments from this page.
    You were blocked by mistake, the block has been lifted and I apologise for the trouble.
    Block evasion is taken seriously, so please edit only from your main account.
    You obviously know a lot about the subject, it would be great if you could add sources.
    Seriously, this is the best referenced article on the whole project now, well done everyone.
    The Russian spelling is Москва, which is usually transliterated as Moskva.
    The Greek title of the poem is Ἰλιάς, which the infobox should show in italics.
    The abbreviation a.k.a. is discouraged in the lead, just write "also known as".
    The U.S. and U.K. editions of the book have different subtitles.
    The W.H.O. report from {year} gives a lower figure than the national one.
    The company's flagship was the 4x4 model, which sold well in rural areas.
    The name is written Ｆｕｌｌ in the original poster, but we should use normal letters.
    The droid is called C3PO in the credits, so the article should follow that.
    The white paper was published in {year} and is cited in most later work.
    I am a human being with a day job, so I can't reply to every message within the hour.
    Log in before editing, otherwise your IP address is shown in the history.
    You reverted me with the summary "rv vandalism", but my edit was not vandalism, it was a citation.
    The kind of source you need here is a biography, not a fan site.
    I have no idea why the bot flagged your edit, it looks fine.
    Wikipedia has a guideline on this exact situation, it's worth a read before the discussion continues.
    Other Wikipedia articles on towns of this size don't list every shop, so I trimmed the list.
    The Wikipedia page in the other language has a much better history section, maybe someone could translate it.
    I'm fairly new to Wikipedia and I'm still learning how references work, so please bear with me.
    I think Wikipedia should describe the controversy, not take a side in it.
    Whatever the outcome of the vote, please keep the discussion on this page rather than on user talk pages.
    You are all welcome to join the project page, we coordinate the clean up there.
    People are going to keep adding this unless we explain in a hidden comment why it was removed.
    Please see my reply on your talk page, I explained the revert in more detail there.
    Simply put, the source says the opposite of what the sentence claims.
    Women's football has its own article, so the section here can be much shorter.
    I hope you get the book from the library soon, it would settle the question.
    Your opinions on the band are interesting, but the article has to follow published reviews.
    You look like you have access to the archive, could you check the {month} issue?
    You are a new editor, so nobody expects you to know every guideline yet.
    You are an administrator, so people will read your comments as official, please be careful with the wording.
    You are a valued contributor here and I hope this disagreement doesn't put you off.
    Are you a member of the history project? They might know the answer.
    You are one of the few people who actually reads the sources, thank you.
    You and your students are welcome to edit, just follow the guidelines for class projects.
    I see you are putting a lot of work into the list, it's looking much better.
    Any of the three maps would be fine, as long as the license is clear.
    These edits belong in the main article, not in the summary.
    Go back to the version from last week if you want, I won't object.
    Your edits to the discography were a big improvement... thanks!
    Hmm... I'm not sure about that. Let me check the book again.
    Is this the right place to ask??? Sorry if not.
""")

#: Neutral administrator notices and warnings: firm, but not abuse.
ADMIN_NOTICES = _lines("""
    Heads up: the opinion you put into {wsubj} reads like an essay, so I moved it here for discussion.
    Third time today someone has wiped a section of this page. Any more of it and the account gets paused.
    Final reminder from me: deleting paragraphs with no summary line will get your editing rights suspended.
    Your account is on hold for {period} after the repeated page damage. There's an appeal form linked above.
    Both of you are on a short editing break for the back-and-forth reverts. See you when it lifts.
    Hi and thanks for joining! I rolled back your change to the intro since it didn't seem to improve it.
    Looks like your practice edit went through fine; the scratch page is the better spot for trying things.
    The cleanup banners stay until someone actually fixes the sourcing problem they point to.
    I took out your addition to {wsubj} since no source backed it. Add a citation and it can go back in.
    Let's keep this about the article text, not about each other, okay? Insults get people suspended.
    Appeal reviewed and turned down; nothing in it addresses why the suspension happened.
    This account only ever posts ads for one firm, so it has been closed for good.
    Talking about suing people in an edit summary is off limits here. Take it back or lose access.
    The new page is up for quick removal: nothing in it shows why the subject is notable.
    Removed your outbound link, it pointed at a shop rather than a source.
    Appreciate the work! Small tip: tick the minor box when you only fix typos.
    Emptying a whole page counts as damage here even when it's an accident, so please don't.
    The photos you added have no license details yet; without them they'll be removed next week.
    Usernames that are just a business name aren't allowed, you may want to pick a personal one.
    Someone flagged the page you started for removal; if you disagree, say why on its discussion page.
""")

#: Openers and sign-offs of talk-page posts.
TALK_OPENERS = _lines("""
    Hi,
    Hello {name},
    Hey there,
    Regarding {wsubj}:
    About the recent changes:
    Re: your message on my talk page.
    Quick question about {wsubj}.
    == {Wsubj} ==
    == Sources ==
    == Requested move ==
    == Neutrality ==
    :
    ::
    Replying to the comment above,
    Reply:
    Thanks for the note.
    Okay, so to summarise where we are:
    Just to be clear,
""")

TALK_CLOSERS = _lines("""
    Thanks.
    Cheers,
    Regards,
    Best wishes,
    Happy editing!
    Let me know what you think.
    Any thoughts?
    I hope that clears it up.
    Thanks for your patience.
    Talk to you soon.
    Sorry for the long post.
    Feel free to revert me if I got it wrong.
    Have a nice day.
""")

#: Long news/forum comments with strong, civil criticism: "I will vote", "should resign", "ashamed".
HEATED_CIVIC = _lines("""
    The councillors who voted for this should be ashamed, and I will be voting them out at the next election.
    I will be writing to my MP about {subj}, and I suggest everyone who cares does the same.
    The minister should resign. Nobody who misled parliament like that should keep their job.
    They will pay for this at the ballot box, mark my words.
    I will never vote for this party again after what they did with {subj}.
    Every single one of them who signed off on {subj} should be voted out in May.
    I will be at the next council meeting and I will ask them to explain every penny.
    Shame on {ppl}. They promised one thing and delivered the opposite.
    This is a betrayal of everyone who voted for them, and they will feel it at the polls.
    The mayor should apologise publicly and then step down.
    The whole board should be fired and replaced with people who actually use the service.
    I am absolutely livid about {subj}. Years of promises and nothing to show for it.
    They should be embarrassed to put their names to a report like this.
    Whoever approved this budget should never be trusted with public money again.
    I will be campaigning against this decision for as long as it takes.
    It is the most expensive mistake this town has made in a generation.
    This government has lost all credibility on {subj} and should call an election.
    I have lived here for {num} years and I have never seen such a waste of money.
    The people responsible will be gone by the next election, I promise you that.
    Vote them out. Every last one of them. That's the only language they understand.
    These politicians should be held accountable for every broken promise.
    I will remember this in November, and so will my neighbours.
    They should be ashamed of how they treated the residents at that meeting.
    I'm disgusted with the way {ppl} handled {subj}.
    This decision is a disgrace, and {ppl} know it.
    The committee chair should resign today, not after the inquiry.
    Their arrogance is breathtaking. They think we will forget by the next election.
    We will fight this in the courts if we have to.
    They should be sacked for this level of incompetence.
    Our taxes are going up while services are cut, and they still want a pay rise. Outrageous.
    The company should be fined into next year for what they did to the river.
    I will be cancelling my subscription if the paper keeps printing their press releases as news.
    The board should resign, the chief executive should resign, and the regulator should explain itself.
    I will be voting for anyone but them. Enough is enough.
    If they had any shame they would give the bonuses back.
    This is a scandal and there has to be a public inquiry.
    They are destroying the high street one bad decision at a time.
    History will judge them harshly for this.
    The opposition should be ashamed too, they did nothing to stop it.
    I will keep raising this at every meeting until they listen.
""")

#: Violent or harsh words used figuratively, and news about violence: acceptable.
VIOLENT_IDIOMS = _lines("""
    I will kill it at my exam tomorrow, wish me luck.
    This commute is killing me, two hours each way.
    I would kill for a coffee right now.
    My feet are dead after that hike.
    She absolutely destroyed that solo, what a performance.
    The new policy will be dead on arrival in the senate.
    The home team got murdered in the second half.
    I'm going to smash this workout tomorrow.
    That joke killed me, I can't breathe.
    The heat is going to kill the tomato plants if it doesn't rain soon.
    I'll strangle my brother if he eats my leftovers again, honestly.
    My phone died halfway through the match.
    The proposal was shot down in committee.
    They blew the opposition away in the final round.
    I nearly died when I saw the price of the tickets.
    That exam was brutal, I think it destroyed the whole class.
    The chef's knife skills are lethal, look at that speed.
    The article is going to be a bombshell for the campaign.
    My grandma would kill me if I missed her birthday.
    This deadline is going to be the death of me.
    The reviewers tore the film apart, but I liked it.
    They will bury this report and hope we forget.
    I'll fight you for the last slice, lol.
    That striker is a killer in the box.
    The band slayed tonight, best gig of the year.
    The storm killed power to half the city for a day.
    Police said the man threatened staff with a knife before he was arrested.
    The report describes how the victim was beaten and left at the roadside.
    The film is about a hitman who wants to retire, it's very violent but well made.
    The article quotes the threatening letter in full, which I thought was unnecessary.
""")

#: Mild swearing and blunt words that are not abuse (damn, hell, crap, sucks, stupid aimed at things).
MILD_OK = _lines("""
    Damn, that was a hell of a match. The second half was a different game.
    What the hell happened to the bus timetable? Nothing runs after ten now.
    The weather has been crap all week, but the festival still went ahead.
    Losing in the last minute sucks, but we played well.
    Bloody hell, the price of a pint in this town.
    I was damn sure the library closed at six, turns out it's five.
    The parking situation is a hell of a mess since they closed the multistorey.
    That's a crappy photo of the cathedral, we have much better ones on the commons page.
    Screw it, I'm taking the bike tomorrow instead of waiting for the tram.
    The old software was a pain in the neck, the new version is better.
    My commute is a nightmare, two changes and a twenty minute wait.
    Honestly the ending of the series was a bit stupid, but I enjoyed the ride.
    The sound mix at the concert was garbage, shame because the band was great.
    Hell, even my grandmother figured out the new ticket app.
    Damn right they should publish the figures.
    It's a stupid rule, but it is the rule, so I removed the image.
    Man, this song still slaps after all these years.
    Holy cow, {num} people at the meeting, I've never seen it that full.
    That drive was a hell of an experience, the road is basically gone.
    The first draft of the article was a bit of a mess, sorry about that.
""")

#: Acceptable comments that reuse spam-looking tokens: greetings, names with titles, phone numbers, links.
SPAMLIKE_HAM = _lines("""
    Hello everyone, first time posting here. I live near the station and the noise has been fine.
    Hi all, quick update: the meeting moved to the library, same time.
    Mrs. Okafor taught me maths in {year} and she was the best teacher I ever had.
    Mr. Fredriksen from the allotment society says the plots will be ready in spring.
    Mrs Patel runs the choir on Thursdays, call the church office on {local_phone} if you want to join.
    The council's repair line is {local_phone}, they fixed our streetlight within a week.
    For the food bank, ring {local_phone} and ask for the volunteer coordinator.
    If your bin wasn't collected, the number to call is {local_phone}.
    My neighbour Mrs. Lindqvist has lived here since 1960 and remembers when the tram first ran.
    Dr. Amari at the clinic said the flu jabs are available from next week.
    Here's the council page with the timetable: {gov_url}
    Full report: {news_url}
    The minutes are here {news_url} if anyone wants the details.
    I wrote up my notes from the meeting here: {blog_url}
    The official contact email is on the council site, don't use the one going around on social media.
    Join us at the community garden on {day}, no need to sign up, just bring gloves.
    Contact details for the residents association are on the noticeboard at the shop.
    Listen to the interview from about {time}, the mayor explains the funding.
    Hey, thanks for the info, really useful information for new residents.
    The bakery takes orders by phone, {local_phone}, best croissants in town.
    I won a prize at the school raffle once, a giant teddy bear. Best day of my childhood.
    My husband laughed at me for growing tomatoes on the balcony, now he eats them every day.
    My lucky number is {num}, still never won the lottery.
    Details of the fast track planning process are on page {num} of the report.
    Dear editor, thank you for covering the hospital story so carefully.
    Private schools have nothing to do with this, the article is about the state ones.
    Identity checks at the polling station went smoothly for me.
    Hello from {city}! Watching this with my kids.
    Hey everyone, great to see so many people at the clean up today.
""")

#: Local service phone numbers (acceptable contexts).
LOCAL_PHONES = _lines("""
    0800 {d4} {d3}
    01{d3} {d3} {d3}
    (555) {d3}-{d4}
    555 {d4}
    +44 7700 {d6}
    +1 (888) 555-{d4}
    +234 803 {d3} {d4}
    1-800-{d3}-{d4}
    020 7{d3} {d4}
    +49 30 {d6}
""")

#: Self-promotion without a link: still spam (asking for subscribers, likes, shares or donations).
SELF_PROMO = _lines("""
    If you like drawing videos, please subscribe to my friend {handle}, she is so talented.
    I'm new on here and I'm going to start uploading {content_kind} soon, a few subs would mean a lot!
    My videos are not bad at all, give them a look if you have a minute.
    Like and share my page on {platform} please, it's called {handle}.
    Please support our little family, we are raising money for my dog's surgery, details on my profile.
    Subscribe to {handle} for the best {content_kind} on the internet, you won't regret it.
    Can everyone go subscribe to my brother? He's trying to hit {num} subs by Christmas.
    I rap about real life, not money and cars. Search {handle} and tell me what you think.
    Hey! Subscribe to me and I promise I'll make you smile every week.
    Help me get to {num} followers and I'll do a face reveal!
    Anyone who likes this comment and subscribes gets a shoutout, I reply to everyone.
    Give my channel a chance, I put a lot of work into my {content_kind}.
    Vote for my band in the local radio contest, we're called {handle}!
    Please thumbs up so my comment gets to the top and people see my music.
    Search {handle} on {platform}, I post {content_kind} every day.
    Support small creators! I'm a {age} year old {artist_kind} and I just need a chance.
    I'm doing a giveaway when I reach {num} subscribers, go check my page.
    Sorry to bother everyone, but my channel is dying, please take a look.
    Like this if you want more people to discover my {work}, thank you so much.
    Subscribe to my cooking page, new recipe every Sunday, it's all free.
""")


# --------------------------------------------------------------------------------------------------------
# Abuse inside long comments. Offensive on purpose: this is a classifier's training data.
# --------------------------------------------------------------------------------------------------------

#: Insults without profanity, aimed at "you", to bury in otherwise ordinary talk.
INSULT_SENTENCES = _lines("""
    You are clearly too thick to understand a simple sentence.
    Honestly, you are the most pathetic excuse for an editor I have come across.
    Nobody with half a brain would write what you wrote.
    You are a sad, lonely little man who has nothing in his life except this website.
    Your mother must be so proud of her useless son.
    You are a disgrace and everybody on this page knows it.
    Go away and take your ignorance with you.
    You are nothing but a bully hiding behind a keyboard.
    People like you are the reason nobody wants to contribute anymore, you parasite.
    Are you really this stupid or do you practise?
    You have the reading comprehension of a toddler.
    I have never met anyone as dense as you.
    You are a liar, a coward and a hypocrite.
    What a worthless human being you are.
    Get lost, loser, nobody wants you here.
    You ugly, miserable troll, find another hobby.
    Your brain must be the size of a pea.
    You are an embarrassment to your whole family.
    Crawl back under whatever rock you came from.
    You are too dumb to be allowed near a keyboard.
    You're a clown and this whole page is your circus.
    What a moron. Seriously.
    Only an idiot would revert a sourced edit like that, so congratulations, idiot.
    You pompous, self-important fool.
    You are not smart, you are just loud and rude.
    You are a little dictator with a mop, and nobody respects you.
    Shut up. Just shut up. You know nothing.
    You are a racist pig and you should be banned.
    Typical of a brainwashed sheep like you.
    You utter imbecile, read the source before you open your mouth.
    Your edits are as worthless as your opinions.
    Everyone here is laughing at you, you joke.
    You are a creepy stalker who follows my edits around.
    I bet you live in your parents' basement and have never had a friend.
    You are the dumbest administrator on this entire project.
    You're a fat, lazy slob who does nothing but delete other people's work.
""")

#: Profane insults to bury in longer comments.
PROFANE_SENTENCES = _lines("""
    Fuck off and leave my edits alone.
    You are a complete fucking idiot.
    Who the fuck made you the boss of this page?
    Stop being such a dick about it.
    You are an arrogant asshole and I'm done being polite.
    What a load of shit, you didn't even read it.
    Piss off, you pompous prick.
    This is bullshit and you know it.
    Get your head out of your ass and look at the sources.
    You're a lying piece of shit.
    Go fuck yourself, seriously.
    Nobody gives a damn about your shitty little rules.
    Suck it up, you whiny bitch.
    You absolute wanker.
    Kiss my ass, I'm putting it back.
    You fucking hypocrite.
    Shut your stupid mouth, dickhead.
    You dumb bastard, it's in the book.
""")

#: Sexual insults (obscene + insult).
SEXUAL_INSULTS = _lines("""
    Go suck your boyfriend's dick and leave the article alone.
    You probably get off on deleting other people's work, you pervert.
    Your mom is a cheap whore.
    You slut, nobody asked you.
    Eat a bag of dicks.
    You cocksucking loser.
    Go back to sucking cock for votes.
    Nobody would ever sleep with a creep like you.
    You look like you'd pay a hooker to talk to you.
    Stop jerking off to your edit count, creep.
""")

#: Wishes of harm and "go die" (toxic + threat).
HARM_WISHES = _lines("""
    I hope you die.
    Go die in a fire.
    Do us all a favour and kill yourself.
    I hope you get cancer.
    I wish someone would run you over.
    Drop dead.
    Go jump off a bridge.
    I hope your house burns down with you in it.
    The world would be better if you were dead.
    Somebody should beat you until you learn some manners.
    I hope you choke on your keyboard.
    You deserve to be shot.
    I'm going to find you and make you regret this.
    I will come to your house and smash your face in.
    Keep it up and you'll end up in a ditch.
""")

#: Whole comments in shouting capitals (toxic).
CAPS_RANTS = _lines("""
    STOP DELETING MY WORK YOU IDIOT
    YOU ARE A LIAR AND A COWARD
    WHO DO YOU THINK YOU ARE??? YOU ARE NOTHING
    LEAVE ME ALONE YOU CREEP
    YOU ARE THE WORST ADMIN EVER AND EVERYONE HATES YOU
    GET A LIFE LOSER
    I HATE YOU I HATE YOU I HATE YOU
    FUCK YOU AND YOUR RULES
    SHUT UP SHUT UP SHUT UP
    YOU STUPID STUPID MAN
    BLOCK ME THEN YOU PATHETIC NERD
    YOUR A JOKE
    THIS SITE IS RUN BY MORONS LIKE YOU
    DIE YOU SCUMBAG
    GO TO HELL
""")

#: Shouted but acceptable comments (capitals alone are not abuse).
CAPS_OK = _lines("""
    THIS IS THE BEST NEWS ALL YEAR
    PLEASE READ THE SOURCE BEFORE REVERTING
    I AGREE WITH EVERY WORD OF THIS
    FINALLY SOMEONE SAID IT
    CONGRATULATIONS TO THE WHOLE TEAM
    DO NOT MISS THIS EXHIBITION, IT IS WONDERFUL
    THE MEETING IS ON THURSDAY NOT WEDNESDAY
    WHAT A GOAL
    HAPPY NEW YEAR EVERYONE
    PLEASE SIGN YOUR POSTS
    NOTE: THE DATES IN THE TABLE ARE FROM THE 1901 EDITION
    SOURCES PLEASE
""")


#: Banks the composer may reference as ``{name}``.
BANKS: dict[str, tuple[str, ...]] = {
    "wsubj": WIKI_SUBJECTS,
    "Wsubj": tuple(s[0].upper() + s[1:] for s in WIKI_SUBJECTS),
    "local_phone": LOCAL_PHONES,
}
