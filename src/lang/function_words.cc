#include "lang/function_words.h"

#include <array>

namespace winnow::lang {
namespace {

// Written for winnow (see the header). Keep each list to words that are
// frequent in running text of that language; a rare or ambiguous word adds
// little evidence and can only cause confusion.
constexpr std::array kLists = {
    FunctionWordList{
        "en", true,
        "the of and to a in is that for it on with as was by at he his are "
        "be this from have or an not but they which had her she you we i "
        "were their has been its will would there all one more who if when "
        "can said also after about up out so than other into no them what my "
        "our your him do could some only these over new may two first most "
        "any just like how then where such those while because between "
        "through during before should very many both each us me did does "
        "being against under since until per due end see go come plus non "
        "war met am care ten man par"},
    FunctionWordList{
        "de", true,
        "der die und in den von zu das mit sich des auf für ist im dem nicht "
        "ein eine als auch es an werden aus er hat dass daß sie nach wird bei "
        "einer um am sind noch wie einem über einen so zum war haben nur oder "
        "aber vor zur bis mehr durch man sein wurde sei kann ich wir ihr ihre "
        "seine diese dieser dieses wenn schon doch ob unter gegen sehr hier "
        "jetzt immer nun zwei können muss soll wieder ihm ihn uns mich mir "
        "dann denn weil waren wurden habe hatte hatten keine kein nichts alle "
        "was also zwischen seit"},
    FunctionWordList{
        "fr", true,
        "le la les de des du un une et est en que qui dans pour pas au aux ce "
        "cette il elle ils elles on sur se ne plus par avec son sa ses mais "
        "ou été être avoir a ont sont comme tout tous fait nous vous leur "
        "leurs je lui y même aussi bien sans deux peut entre après depuis "
        "encore très où dont cela ces était donc si alors avant"},
    FunctionWordList{
        "es", true,
        "el la los las de del y en que a un una es por con no para se lo al "
        "su sus como más pero fue ha han este esta estos estas son también "
        "entre cuando muy sin sobre ya le les me mi hay era están está ser "
        "hace desde todo todos porque dos puede hasta donde bien otro otra ni "
        "nos durante eso esto uno ese esa tiene había así sí qué cómo "
        "después"},
    FunctionWordList{
        "pt", true,
        "o a os as de do da dos das e em no na nos nas um uma que é para com "
        "não por se ao aos mais como mas foi ele ela eles elas seu sua seus "
        "suas ou ser são está também já pelo pela pelos pelas isso este esta "
        "esse essa muito tem há foram quando entre sem sobre depois até onde "
        "ainda nem às porque dois pode tudo todos ter era"},
    FunctionWordList{
        "it", true,
        "il lo la i gli le di del della dei delle degli da dal dalla nel "
        "nella in con su per tra fra e è un una uno che non si come più ma "
        "anche sono stato stata essere ha hanno questo questa quello quella "
        "al alla ai alle sul sulla o se ci ne mi ti suo sua suoi loro dopo "
        "molto tutto tutti quando già ancora sempre cui dove perché due può"},
    FunctionWordList{
        "nl", true,
        "de het een en van in is dat op te zijn voor met die niet aan er om "
        "ook als bij of uit wordt door naar maar dan nog worden heeft hebben "
        "was werd zich deze dit kan al zo wel meer geen tot over hij zij ze "
        "we wij ik je u hun haar onder tegen na twee omdat wanneer waar hoe "
        "wat alle veel"},
    FunctionWordList{
        "sv", true,
        "och i att det som en på är av för med till den har de inte om ett "
        "var jag vi han hon men ska kan sig så eller från vid också när efter "
        "under nu bara hade mot alla upp ut då dem detta denna vara blev blir "
        "sina sin sitt mycket två andra kommer skulle än hur vad där här"},
    FunctionWordList{
        "da", false,
        "og i at det en den til er som på de med han af for ikke der var mig "
        "sig men et har om vi min havde ham hun nu over da fra du ud sin dem "
        "os op man hans hvor eller hvad skal selv her alle vil blev kunne ind "
        "når være noget ville deres efter ned skulle denne end dette mit også "
        "under have dig meget sit sine mod disse hvis din nogle hos blive "
        "mange bliver"},
    FunctionWordList{
        "no", false,
        "og i det på som er en til å av for at med har de ikke den han om et "
        "var fra men seg vi ble etter så kan også hun jeg eller blir skal ved "
        "da mot nå hadde sin vil dette under sitt når over alle mange må enn "
        "andre hans hvor inn mellom noe denne bare hva kunne være blitt opp "
        "ut to"},
    FunctionWordList{
        "fi", true,
        "ja on ei se että oli hän ovat kun mutta myös niin tai sen jo mitä "
        "vain joka ole ollut siitä olla kuin nyt sitä hänen jos koska voi "
        "sekä mukaan vielä kanssa tämä tämän ne he me minä sinä te olisi "
        "kaikki yli eli vaan nämä noin"},
    FunctionWordList{
        "pl", true,
        "i w z na się nie do to że jest o jak po co tak za od ale przez są "
        "był była było dla już tylko jego jej ich czy oraz może przy też "
        "jako więc bardzo gdy który która które którzy tym ten ta te tego tej "
        "pod bez nad przed między jednak został została można także lub u "
        "sobie mu go jeszcze kiedy teraz"},
    FunctionWordList{
        "cs", false,
        "a v se na je že to s z do o jak ale i k by jsem jsou byl byla bylo "
        "pro po za od tak jako jeho její jejich které který která také jen už "
        "když při podle mezi nebo bez před nad pod než však již tento tato "
        "toto tyto mohou může bude být není ještě ve ze ke"},
    FunctionWordList{
        "sk", false,
        "a v sa na je že to s z do o ako ale i k by som sú bol bola bolo pre "
        "po za od tak jeho jej ich ktoré ktorý ktorá tiež len už keď pri "
        "podľa medzi alebo bez pred nad pod než však tento táto toto môže "
        "bude byť nie ešte vo zo ku aj"},
    FunctionWordList{
        "hu", true,
        "a az és hogy nem is egy meg de van volt ez azt el már csak ki mint "
        "még fel be után ha mert vagy kell lesz lehet sem pedig nagyon most "
        "itt ott minden így úgy amely amelyek aki akik ezt azok ezek között "
        "szerint alatt mellett több számára"},
    FunctionWordList{
        "ro", true,
        "și şi în de la a cu pe că nu se din o un una este sunt au fost "
        "pentru care mai ca dar ce sau prin după acest această acesta el ea "
        "ei ele să va fi am ai al ale lui lor cel cea cei despre până între "
        "fără foarte doar încă"},
    FunctionWordList{
        "tr", true,
        "ve bir bu da de için ile ne o çok daha gibi en ama olarak olan var "
        "ki kadar sonra değil her şey mi mı mu mü ben sen biz siz onlar şu "
        "ise veya hem diye göre ancak bile olduğu olduğunu oldu tarafından "
        "yani"},
    FunctionWordList{
        "vi", true,
        "và của là có trong được cho không với các những một người này đã từ "
        "khi để đến như về cũng nhiều ra sẽ tại theo nhưng vì nên đó lại năm "
        "thì rất đang hay bị"},
    FunctionWordList{
        "id", false,
        "yang dan di ini itu dengan untuk dari tidak dalam akan pada juga ke "
        "ada bisa karena oleh sudah saya kami kita mereka atau seperti telah "
        "lebih harus hanya jika namun tersebut masih banyak para bahwa dapat "
        "adalah"},
    FunctionWordList{
        "ms", false,
        "yang dan di ini itu dengan untuk dari tidak dalam akan pada juga ke "
        "ada boleh kerana oleh sudah saya kami kita mereka atau seperti telah "
        "lebih harus hanya jika namun tersebut masih banyak para bahawa dapat "
        "adalah ialah"},
    FunctionWordList{
        "ca", false,
        "el la els les de del i a en que un una és per amb no es va com més "
        "però o dels al seu seva seus també ha han són aquest aquesta "
        "aquests ser fer quan molt tot tots entre sense sobre després fins on "
        "ja pel pels"},
    FunctionWordList{
        "gl", false,
        "o a os as de do da dos das e en no na nos nas un unha que é para con "
        "non por se ao aos máis como pero foi el ela eles elas seu súa ou ser "
        "son está tamén xa pola polo isto este esta moi ten hai cando entre "
        "sen sobre despois ata onde aínda nin"},
    FunctionWordList{
        "hr", false,
        "i u je na da se za od su ne to s o kao koji koja koje što a ali iz "
        "po sa bi bio bila bilo će smo ste sam ga ih mu joj ili još samo nije "
        "kako kada gdje već prema nakon između do te"},
    FunctionWordList{
        "sl", false,
        "in je v na da se za so ne z pa s o tudi ki kot bi bil bila bilo bo "
        "iz po ali še le že sem smo ste jih ga mu ji kjer kako kdaj zato med "
        "pri od do ter"},
    FunctionWordList{
        "et", false,
        "ja on ei et see oli ka kui mis aga ta nad tema või nii siis veel kes "
        "pole olnud olla seda selle üle kõik juba ning mida"},
    FunctionWordList{
        "lv", false,
        "un ir ar par no uz ka kas bet lai arī vai tas tā to kā pie pēc bija "
        "būs jau tikai ne nav tad viņš viņa viņi mēs jūs es šis šī"},
    FunctionWordList{
        "lt", false,
        "ir yra kad su iš į bet o tai jis ji jie mes jūs aš kaip dar buvo "
        "bus tik ne nėra taip kur kai po per už prie apie"},
    FunctionWordList{
        "sq", false,
        "dhe në të e për me një nga që është i si nuk u ka janë do por më "
        "edhe ishte kjo ky këtë atë ai ajo ata"},
    FunctionWordList{
        "tl", false,
        "ang ng sa na at mga ay ni si hindi para kay ito iyon siya sila kami "
        "tayo ko mo niya nila may mayroon kung pero dahil lang din rin"},
    FunctionWordList{
        "sw", false,
        "na ya wa kwa ni za la katika ambao kuwa hiyo hii huo hayo yake wake "
        "pia lakini kama sana kutoka hadi baada kabla watu"},
    FunctionWordList{
        "af", false,
        "die en van in is het nie te dat op vir met hy sy om wat was word as "
        "aan ook ons hulle maar by of nog kan sal deur na al baie ek jy"},
    FunctionWordList{
        "eu", false,
        "eta da ez du bat ere zen dira bere baina edo hau hori hura dute "
        "izan egin behar oso beste gure zuen zituen"},
    FunctionWordList{
        "ga", false,
        "an na agus ar is a i le go ag ní sé sí siad mé tú bhí tá ach nó do "
        "ón leis don chun faoi"},
    FunctionWordList{
        "cy", false,
        "y yr a ac i o yn ar ei mae bod gan ond neu wedi fel am oedd hyn "
        "hynny eu ni chi nhw fi ef hi"},
    FunctionWordList{
        "is", false,
        "og að í á er sem en það ekki til með var hann hún um af við þá "
        "þetta eru voru frá eftir hafa hefur mjög eða ég þú þeir"},
    FunctionWordList{
        "eo", false,
        "la kaj de en al estas por ke ne kun ĝi li ŝi ili mi vi ni sed aŭ se "
        "kiel tiu tio kiu kio pli tre ankaŭ estis"},
    FunctionWordList{
        "la", false,
        "et in est non ad cum sed ut quod qui quae quam esse sunt ab ex per "
        "nec atque ac enim autem etiam vel eius hoc haec tamen sicut"},
};

static_assert(kLists.size() <= 63,
              "language masks are 64 bits; fast_lid.cc counts into bit 63");

}  // namespace

std::span<const FunctionWordList> FunctionWordLists() { return kLists; }

}  // namespace winnow::lang
